"""The commented config file ``kerjasama config init`` writes, and ``kerjasama config check``.

The file (workflow/data/config.id.toml, or config.en.toml in English) holds every key workflow/config.py reads, each
commented out with its default and what it does, so that a new file changes nothing until an administrator sets a
key. ``check`` lists the file's problems (load_config's, and
files it names that are not there) and, apart, the letter settings still unset: a letter whose signer's name is
missing is refused when it is made, and the bureau learns it then, one key at a time.
"""
from __future__ import annotations

from pathlib import Path

from workflow.config import Config, config_problems
from workflow.errors import InvalidInput
from workflow.i18n import _, current_language

TEMPLATES = Path(__file__).parent / "data"  # config.en.toml and config.id.toml: the same keys, explained in each


def template() -> str:
    """The commented file in the language spoken (Indonesian unless English was chosen)."""
    return (TEMPLATES / f"config.{'en' if current_language() == 'en' else 'id'}.toml").read_text(encoding="utf-8")


def write_template(path: Path, force: bool = False) -> None:
    """Write the commented file to ``path`` (and the folders it needs), in the language spoken.

    :raises InvalidInput: the file exists and ``force`` is not given.
    """
    if path.exists() and not force:
        raise InvalidInput(_("{path} exists; kerjasama config check checks it, --force replaces it.")
                           .format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(), encoding="utf-8")


def check(path: Path) -> tuple[list[str], list[str]]:
    """The problems of the config file at ``path`` (one line each, naming the key), and the letter settings it does
    not set that some letters need (one line per key, with the letters refused without it); all at once."""
    from workflow.letters import environment, template_info, template_names
    from workflow.letters.context import needed_settings

    config, problems = config_problems(path) if path.exists() else (Config(), [])
    if config is None:
        return problems, []
    folder = config.letters.templates
    env = environment(folder if folder and folder.is_dir() else None)
    needing: dict[str, list[str]] = {}
    for name in template_names(env):
        for key in needed_settings(template_info(env, name)):
            if not getattr(config.letters, key):
                needing.setdefault(key, []).append(name)
    return problems, [_("[letters] {key} is not set: {templates} cannot be issued without it.").format(
        key=key, templates=", ".join(names)) for key, names in needing.items()]
