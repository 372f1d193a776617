"""The layers of alma-cms (docs/architecture.md), read from the code: every ``import`` of an
``alma_cms`` module, module-level or inside a function, points to the same layer or a lower
one; there are no import cycles; function-level imports say why they are there."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "alma_cms"

# Bottom first. A module belongs to the first entry whose name is it or a package above it.
LAYERS = [
    (
        "settings and registries",
        ["conf", "hooks", "choices", "page_types", "deprecation", "commit"],
    ),
    ("scope", ["scope"]),
    ("representations", ["representations", "api_fields", "serializers"]),
    ("blocks and models", ["blocks", "fields", "models"]),
    ("features", ["structured_data", "ical", "templatetags", "tasks", "search", "translation"]),
    ("pages", ["pages"]),
    ("importer", ["importer"]),
    ("API", ["api"]),
    (
        "admin and app wiring",
        [
            "wagtail_hooks",
            "translation_admin",
            "import_admin",
            "preview",
            "preview_views",
            "search_views",
            "middleware",
            "checks",
            "apps",
            "site_setup",
            "management",
        ],
    ),
]


def _modules():
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


def layer_of(module):
    """(index, name) of the layer of ``module`` (``alma_cms.x.y``); the package root: -1."""
    relative = module.split(".")[1:]
    if not relative:
        return -1, "package"
    for index, (name, roots) in enumerate(LAYERS):
        if relative[0] in roots:
            return index, name
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def _resolve(module, path, node):
    """The ``alma_cms`` modules an import statement in ``module`` names."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        candidates = [target] + [f"{target}.{alias.name}" for alias in node.names]
    else:
        candidates = [alias.name for alias in node.names]
    found = set()
    for candidate in candidates:
        while candidate and candidate not in MODULES:
            candidate = candidate.rpartition(".")[0]
        if candidate.startswith("alma_cms") and candidate != module:
            found.add(candidate)
    return found


def _imports():
    """``(module, target, line, inside_function)`` for every import of an alma_cms module."""
    result = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text())
        in_function = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for sub in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(module, path, node):
                    result.append((module, target, node.lineno, id(node) in in_function))
    return result


IMPORTS = _imports()


def test_every_module_has_a_layer():
    for module in MODULES:
        layer_of(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    own, own_name = layer_of(module)
    upward = [
        f"line {line}: {target} ({layer_of(target)[1]})"
        for source, target, line, _inside in IMPORTS
        if source == module and layer_of(target)[0] > own
    ]
    assert not upward, f"{module} ({own_name}) imports a higher layer: {upward}"


def test_blocks_import_nothing_from_the_api():
    assert not [(s, t) for s, t, *_ in IMPORTS if s.startswith("alma_cms.blocks") and ".api" in t]


def test_features_import_nothing_from_the_pages():
    features = ("alma_cms.ical", "alma_cms.structured_data")
    assert not [(s, t) for s, t, *_ in IMPORTS if s in features and t.startswith("alma_cms.pages")]


def test_no_import_cycles():
    edges = {}
    for source, target, *_ in IMPORTS:
        edges.setdefault(source, set()).add(target)
    # Tarjan's strongly connected components.
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(MODULES):
        if node not in index:
            visit(node)
    assert cycles == []


def test_function_level_imports_say_why():
    """An import inside a function has a comment on its own line or within the three lines
    above it (in the function): why it cannot be at the top of the module."""
    missing = []
    for path in MODULES.values():
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    start = max(function.lineno, node.lineno - 3)
                    window = lines[start - 1 : node.lineno]
                    if not any("#" in line for line in window):
                        missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert not missing, f"function-level imports without a reason: {missing}"
