"""The README, the tutorial and docs/examples/ say the same thing: the README shows the example
files as they are, and its setup commands are the tutorial's (which tests/install runs)."""

import re
from pathlib import Path

import pytest

from tests.install.test_wagtail_start import tutorial_commands

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
EXAMPLES = REPO / "docs" / "examples"


def fenced(text, language):
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


@pytest.mark.parametrize("name", ["settings.py", "urls.py"])
def test_readme_shows_the_example_files_as_they_are(name):
    assert (EXAMPLES / name).read_text() in fenced(README, "python")


def test_readme_setup_commands_are_the_tutorials():
    section = README.split("## Add it to your Wagtail site", 1)[1].split("\n## ", 1)[0]
    readme = [
        line.strip()
        for block in fenced(section, "sh")
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    tutorial = tutorial_commands()
    assert readme, "no setup commands in the README"
    assert [line for line in tutorial if line in readme] == readme  # same lines, same order
    for command in (
        'pip install "$ALMA"',
        'cp "$ALMA/docs/examples/urls.py" mysite/urls.py',
        'cat "$ALMA/docs/examples/settings.py" >> mysite/settings/base.py',
        "python manage.py alma_setup --base-url http://127.0.0.1:8000",
    ):
        assert command in readme


def test_the_tutorial_is_in_the_docs():
    assert "tutorial.md" in (REPO / "mkdocs.yml").read_text()
    assert "(docs/tutorial.md)" in README
    assert "(tutorial.md)" in (REPO / "docs" / "index.md").read_text()
