"""``/jobs``: the background job queue, its pool of workers in the web app, the admins' page."""
