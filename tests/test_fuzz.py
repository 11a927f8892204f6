"""A fuzzed CLI: random arguments, dates, refs, unicode and huge values never crash and never write on a refusal."""
from __future__ import annotations

import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from cli import cli
from db.models import Case, Event, Letter
from tests.conftest import THOROUGH, close_bureau, make_bureau
from tests.helpers import case_in

WORDS = st.one_of(
    st.sampled_from(["KS-2013-0001", "KS-2013-0002", "ks-2013-0001", "KS-9999-9999", "", " ", "--", "-x",
                     "2013-02-30", "2013-13-01", "0000-00-00", "9999-12-31", "2014-01-06", "yesterday", "1e308",
                     "-1", "99999999999999999999999", "dprd_approved", "exploration_started", "agreement_signed",
                     "term_years=5", "term_years=-3", "term_years=abc", "=", "a=b=c", "DE", "IL", "city",
                     "☃", "Kabupaten Bandung\u0000", "'; DROP TABLE cases; --", "{{ 7*7 }}", "x" * 5000]),
    st.text(max_size=30),
)
COMMANDS = st.sampled_from([
    ["case", "show"], ["case", "advance"], ["case", "history"], ["case", "open", "--title"],
    ["case", "list", "--state"],
    ["deadlines", "--within"], ["deadlines", "--on"], ["remind", "--now"], ["action", "add"], ["action", "update"],
    ["evaluate"], ["letter", "issue"], ["letter", "render"], ["register", "--status"], ["case", "revive"],
    ["import"], ["procedure", "--format"], ["init", "--level"],
])


def counts(bureau) -> tuple[int, int, int]:
    with bureau.db.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table.__table__)).scalar()
                     for table in (Case, Event, Letter))


def test_the_cli_survives_random_input():
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'fuzz.db'}"
    bureau = make_bureau(url)
    case_in(bureau, "plan_drafting")
    runner = CliRunner()

    @settings(max_examples=4000 if THOROUGH else 150, deadline=None,
              derandomize=not THOROUGH,  # the same examples in every CI run
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(command=COMMANDS, words=st.lists(WORDS, max_size=5), flags=st.lists(
        st.sampled_from(["--on", "--note", "--set", "--json", "--as", "--doc-number", "--lang"]), max_size=3))
    def run(command, words, flags):
        before = counts(bureau)
        args = ["--db", url, "--config", str(folder / "none.toml"), *command, *words]
        for flag, word in zip(flags, words or [""] * len(flags)):
            args += [flag, word]
        result = runner.invoke(cli, args)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-300:])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{args}: {type(result.exception).__name__}: {result.exception}")
        if result.exit_code != 0:
            assert counts(bureau) == before, args  # a refused command writes nothing

    try:
        run()
    finally:
        close_bureau(bureau)
