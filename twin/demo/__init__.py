"""The demo twin: a deterministic town in the real geography of Bắc Giang.

``twin demo load --scale small|city|province --seed N`` generates every layer
(:mod:`twin.demo.generate`) and loads it with COPY (:mod:`twin.demo.load`).
"""
