"""Rendering speed of letters: HTML letters per second, and PDF time per letter, against the sample case.

Letters cycle through every built-in template; the context is built for each letter, as `letter
render` does. The floor is the same number of renders of a one-line template in the same sandboxed
environment, measured in the same run.
"""
from __future__ import annotations

import statistics
import time

from workflow.config import Config
from workflow.letters import (environment, render_html, render_pdf, sample_config, sample_context, template_info,
                              template_names)


def timed(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(html: int, pdf: int) -> dict:
    """Median seconds for ``html`` HTML letters and their floor; seconds for ``pdf`` PDFs (None without WeasyPrint)."""
    config = sample_config(Config())
    env = environment(None)
    names = template_names(env)
    infos = [template_info(env, name) for name in names]
    for name, info in zip(names, infos):  # compile once, as a long-running process would
        render_html(env, name, sample_context(config, info))

    def html_letters():
        for n in range(html):
            render_html(env, names[n % len(names)], sample_context(config, infos[n % len(names)]))

    floor_template = env.from_string("<p>{{ case.ref }}</p>")
    context = sample_context(config, infos[0])

    def floor():
        for _ in range(html):
            floor_template.render(context)

    result = {"templates": len(names), "html": html, "html_seconds": timed(html_letters),
              "floor_seconds": timed(floor), "pdf": pdf, "pdf_seconds": None}
    try:
        import weasyprint  # noqa: F401  (the optional extra kerjasama[pdf])
    except (ImportError, OSError):  # not installed, or no Pango library to load
        return result
    htmls = [render_html(env, names[n % len(names)], sample_context(config, infos[n % len(names)])) for n in range(pdf)]
    result["pdf_seconds"] = timed(lambda: [render_pdf(page) for page in htmls], runs=1)
    return result
