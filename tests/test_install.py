"""Installs come from requirements.lock: every package kerjasama[test,pdf] pulls in is pinned there, the installed
version is the pinned one, and CI runs the README's commands as written."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REINSTALL = "reinstall from the lock: .venv/bin/pip install -c requirements.lock -e '.[test]'"


def pinned() -> dict[str, str]:
    """The lock's pins that apply to this interpreter and platform, by package name."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate():
                [spec] = requirement.specifier
                assert spec.operator == "==", line
                pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def installed_closure(name: str, extras: set[str]) -> dict[str, str]:
    """Every distribution ``name[extras]`` needs here, transitively, with its installed version."""
    found: dict[str, str] = {}
    pending = [(name, frozenset(extras))]
    seen = set()
    while pending:
        current, wanted = pending.pop()
        if (current, wanted) in seen:
            continue
        seen.add((current, wanted))
        distribution = metadata.distribution(current)
        for text in distribution.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": extra})
                                              for extra in wanted | {""}):
                continue
            found[canonicalize_name(requirement.name)] = metadata.version(requirement.name)
            pending.append((requirement.name, frozenset(requirement.extras)))
    return found


def test_every_package_the_suite_runs_on_is_pinned_by_the_lock():
    pins = pinned()
    used = installed_closure("kerjasama", {"test", "pdf"})
    assert {"sqlmodel", "babel", "weasyprint", "pytest", "flake8", "pydantic-core"} <= set(used)
    assert sorted(set(used) - set(pins)) == [], "not in requirements.lock; regenerate it (README, 'Dependencies')"
    assert {name: version for name, version in used.items() if pins[name] != version} == {}, REINSTALL


def test_the_lock_pins_every_requirement_within_the_ranges_of_setup_cfg():
    pins = pinned()
    for text in metadata.distribution("kerjasama").requires:
        requirement = Requirement(text)
        if requirement.marker is None or any(requirement.marker.evaluate({"extra": e}) for e in ("test", "pdf")):
            name = canonicalize_name(requirement.name)
            assert requirement.specifier.contains(pins[name]), (name, pins[name], str(requirement.specifier))


def test_ci_runs_the_readme_commands_with_the_lock():
    readme = (ROOT / "README.md").read_text()
    [test_command] = [line.strip() for line in readme.splitlines() if line.strip().endswith("-m pytest")]
    [demo_command] = [line.strip() for line in readme.splitlines() if line.strip().endswith("kerjasama demo")]
    assert "-c requirements.lock" in test_command and "-c requirements.lock" in demo_command
    assert "flake8 &&" in test_command
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == test_command and "export KERJASAMA_REQUIRE_SYSTEM_PACKAGES=1" in ci


def test_every_source_folder_is_a_package_of_the_distribution():
    """A folder of .py files missing from setup.cfg's packages would be left out of a regular install."""
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = {name.strip() for name in config["options"]["packages"].replace("\n", ",").split(",") if name.strip()}
    folders = {".".join(path.parent.relative_to(ROOT).parts) for top in ("workflow", "db", "templates")
               for path in (ROOT / top).rglob("*.py") if "__pycache__" not in path.parts}
    assert listed == folders
