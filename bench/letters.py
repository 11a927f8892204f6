"""Rendering speed of letters: 1,000 HTML letters and 20 PDFs against the sample case.

    python bench/letters.py [--html 1000] [--pdf 20]

Letters cycle through every built-in template; the context is built for each letter, as
`letter render` does. The floor is the same number of renders of a one-line template in the same
sandboxed environment, measured in the same run.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workflow.config import Config  # noqa: E402
from workflow.letters import (environment, render_html, render_pdf, sample_config, sample_context,  # noqa: E402
                              template_info, template_names)


def timed(work, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=int, default=1000)
    parser.add_argument("--pdf", type=int, default=20)
    args = parser.parse_args()
    config = sample_config(Config())
    env = environment(None)
    names = template_names(env)
    infos = [template_info(env, name) for name in names]
    for name, info in zip(names, infos):  # compile once, as a long-running process would
        render_html(env, name, sample_context(config, info))

    def html_letters():
        for n in range(args.html):
            render_html(env, names[n % len(names)], sample_context(config, infos[n % len(names)]))

    floor_template = env.from_string("<p>{{ case.ref }}</p>")
    context = sample_context(config, infos[0])

    def floor():
        for _ in range(args.html):
            floor_template.render(context)

    html_seconds, floor_seconds = timed(html_letters), timed(floor)
    htmls = [render_html(env, names[n % len(names)], sample_context(config, infos[n % len(names)]))
             for n in range(args.pdf)]
    pdf_seconds = timed(lambda: [render_pdf(html) for html in htmls], runs=1)
    print(f"{len(names)} templates; median of 3 runs for HTML, 1 run for PDF")
    print(f"HTML: {args.html} letters in {html_seconds:.2f} s = {args.html / html_seconds:.0f} letters/s "
          f"(floor, a one-line template: {args.html / floor_seconds:.0f} renders/s)")
    print(f"PDF:  {args.pdf} letters in {pdf_seconds:.2f} s = {pdf_seconds / args.pdf * 1000:.0f} ms per letter")


if __name__ == "__main__":
    main()
