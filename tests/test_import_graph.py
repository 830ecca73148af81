"""The package's import graph, lazy imports included: no cycle, and each layer imports only the
layers below it (docs/conventions.md, "Layers")."""
import ast
import os.path as osp
from pathlib import Path
from typing import Dict, Set

import fvgpt

ROOT = Path(osp.dirname(fvgpt.__file__))

#: Lowest first: a module may import its own layer and those below it, never one above.
LAYERS = [
    {'fvgpt', 'fvgpt.version', 'fvgpt.registry', 'fvgpt.fileio', 'fvgpt.utils'},
    {'fvgpt.segmentation'},
    {'fvgpt.datasets'},
    {'fvgpt.models', 'fvgpt.engine'},
    {
        'fvgpt.evaluation', 'fvgpt.visualization', 'fvgpt.testing', 'fvgpt.toyworld',
        'fvgpt.analysis'
    },
    {'fvgpt.setup_env'},
    {'fvgpt.apis'},
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix('').parts)
    if parts[-1] == '__init__':
        parts.pop()
    return '.'.join(parts)


def import_edges() -> Dict[str, Set[str]]:
    """Module -> fvgpt modules it imports anywhere in its file (functions included). Importing
    ``a.b.c`` runs ``a/__init__`` and ``a/b/__init__`` too, so those count as imported."""
    modules = {module_name(p): p for p in ROOT.rglob('*.py')}
    edges: Dict[str, Set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == '__init__.py' else name.rpartition('.')[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split('.')[:len(package.split('.')) - node.level + 1]
                    target = '.'.join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ''
                targets.add(target)
                # `from pkg import mod` imports the module pkg.mod
                targets.update(f'{target}.{alias.name}' for alias in node.names)
        out = set()
        for target in targets:
            parts = target.split('.')
            out.update('.'.join(parts[:i]) for i in range(1, len(parts) + 1))
        parts = name.split('.')  # a module's own parent packages run first
        out.update('.'.join(parts[:i]) for i in range(1, len(parts)))
        edges[name] = {t for t in out if t in modules and t != name}
    return edges


def component(module: str) -> str:
    """The node of the layered graph: ``fvgpt.<subpackage or module>``."""
    return '.'.join(module.split('.')[:2])


def rank(module: str) -> int:
    comp = component(module)
    for i, layer in enumerate(LAYERS):
        if comp in layer:
            return i
    raise AssertionError(f'{comp} has no layer in tests/test_import_graph.py: add it to LAYERS '
                         'and to docs/conventions.md, "Layers".')


def test_every_module_imports_only_its_layer_and_those_below():
    upward = sorted(f'{a} imports {b}' for a, targets in import_edges().items() for b in targets
                    if rank(b) > rank(a))
    assert not upward, 'imports of a higher layer:\n' + '\n'.join(upward)


def test_the_package_graph_has_no_cycle():
    graph: Dict[str, Set[str]] = {}
    for a, targets in import_edges().items():
        graph.setdefault(component(a), set()).update(
            component(b) for b in targets if component(b) != component(a))
    # the root package `fvgpt` (its __init__) is run by every import; it must import nothing
    # but its version, which the layer test checks; drop it as a node of its own.
    graph.pop('fvgpt', None)
    for targets in graph.values():
        targets.discard('fvgpt')
    done: Set[str] = set()

    def visit(node, path):
        if node in path:
            cycle = path[path.index(node):] + [node]
            raise AssertionError('import cycle: ' + ' -> '.join(cycle))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, path + [node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])


def test_the_graph_sees_lazy_imports():
    """An import inside a function counts: setup_env imports the datasets only lazily."""
    assert 'fvgpt.datasets' in import_edges()['fvgpt.setup_env']
