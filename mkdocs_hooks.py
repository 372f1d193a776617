"""MkDocs hooks (mkdocs.yml ``hooks:``): README.md and CHANGELOG.md in the documentation site.

Both live at the repository root, where GitHub shows them, and link into ``docs/``; the pages in
``docs/`` link back with ``../README.md``. The site gets them as ``readme.md`` and
``changelog.md``, with those links rewritten to the site's pages. Links to other files of the
repository (``.ci/run``, ``sandbox/settings.py``) have no page in the site: they become their
text. Links into ``docs/`` and links to files that don't exist are left alone, so
``mkdocs build --strict`` still fails on a broken one.
"""

import os
import posixpath
import re

from mkdocs.structure.files import File

# The repository's root files the site includes: root file -> page in the site.
ROOT_PAGES = {"README.md": "readme.md", "CHANGELOG.md": "changelog.md"}

# An inline Markdown link: [text](target), the target without spaces or parentheses.
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")


def _sub_outside_code(rewrite, markdown):
    """``LINK.sub(rewrite, ...)`` on the text outside fenced code blocks (code stays as is)."""
    parts, fence = [], None
    for line in markdown.splitlines(keepends=True):
        marker = line.lstrip()[:3]
        if fence is None and marker in ("```", "~~~"):
            fence = marker
        elif fence is not None and marker == fence:
            fence = None
        elif fence is None:
            line = LINK.sub(rewrite, line)
        parts.append(line)
    return "".join(parts)


def _is_external(target):
    return target.startswith(("#", "/", "mailto:")) or "://" in target


def _rewriter(root, page_dir, base):
    """Rewrites a link of a page in ``page_dir`` of the site, whose source is in ``base`` of the
    repository (``"docs/..."`` for the pages of ``docs/``, ``""`` for the root files)."""

    def rewrite(match):
        text, target = match["text"], match["target"]
        if _is_external(target):
            return match[0]
        path, _, anchor = target.partition("#")
        anchor = f"#{anchor}" if anchor else ""
        resolved = posixpath.normpath(posixpath.join(base, path))
        if resolved.startswith("docs/"):  # a file of the site: mkdocs checks the link
            site_path = posixpath.relpath(resolved.removeprefix("docs/"), page_dir or ".")
            return f"[{text}]({site_path}{anchor})"
        if resolved in ROOT_PAGES:
            site_path = posixpath.relpath(ROOT_PAGES[resolved], page_dir or ".")
            return f"[{text}]({site_path}{anchor})"
        if os.path.exists(os.path.join(root, resolved)):
            return text  # a file of the repository, not of the site
        return match[0]  # broken: left for mkdocs to report

    return rewrite


def _root(config):
    return os.path.dirname(os.path.abspath(config.config_file_path))


def on_files(files, config):
    root = _root(config)
    for source, page in ROOT_PAGES.items():
        with open(os.path.join(root, source), encoding="utf-8") as text:
            content = _sub_outside_code(_rewriter(root, "", ""), text.read())
        files.append(File.generated(config, page, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri in ROOT_PAGES.values():
        return markdown  # rewritten in on_files
    page_dir = posixpath.dirname(page.file.src_uri)
    rewrite = _rewriter(_root(config), page_dir, posixpath.join("docs", page_dir))
    return _sub_outside_code(rewrite, markdown)
