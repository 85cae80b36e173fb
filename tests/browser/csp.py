"""Content-Security-Policy violations and console errors of a browser context, recorded.

Chromium fires ``securitypolicyviolation`` on the document for each script,
style, image or connection the policy blocked; an init script, run before
any of the page's own, reports every one to the test through a binding, so
a violation is seen even if the page navigates away right after.
"""

from __future__ import annotations

__all__ = ["PolicyWatch"]

_REPORT = """
document.addEventListener("securitypolicyviolation", e => window.__twinPolicyViolation({
  directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
  line: e.lineNumber, sample: e.sample, page: document.location.href,
}));
"""


class PolicyWatch:
    """What the pages of the contexts it watches broke: policy violations and console errors."""

    def __init__(self):
        self.violations: list[dict] = []
        self.console_errors: list[str] = []

    def watch(self, context) -> None:
        context.expose_binding(
            "__twinPolicyViolation", lambda _source, report: self.violations.append(report)
        )
        context.add_init_script(_REPORT)
        context.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
            if "Content Security Policy" in message.text:
                self.violations.append({"console": message.text})
