"""Rewrite imports of the old flat `data_prep` modules to their stage packages.

    python tools/rename_imports.py FILE [FILE ...]        # rewrite in place
    python tools/rename_imports.py --check FILE [...]     # list what would change, exit 1 if any

For a branch written against the flat layout: run it over the branch's changed Python files
after merging the layout move. It rewrites `data_prep.X` in dotted names, `from data_prep
import X` and, in files under `data_prep/`, relative imports (`from .X import`, `from . import
X`) into absolute ones. Names that did not move (`data_prep.records`, `data_prep.corrections`,
`data_prep.store`, `data_prep.queries` ...) are left as they are. Calls of the store's writers
(`store.build(`, `store.add_articles(`, `store.remove_articles(`, `store.ensure_database(`)
become calls of `service.` (the store now takes its pipeline from the service), with
`from data_prep import service` added where the file does not import it yet.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# old module -> new module (the layout move of data_prep into one package per stage)
MOVES = {
    "data_prep.reading": "data_prep.ingest.reading",
    "data_prep.decoding": "data_prep.ingest.decoding",
    "data_prep.html_text": "data_prep.ingest.html_text",
    "data_prep.limits": "data_prep.ingest.limits",
    "data_prep.furniture": "data_prep.text.furniture",
    "data_prep.sentences": "data_prep.text.sentences",
    "data_prep.countries": "data_prep.extract.countries",
    "data_prep.dates": "data_prep.extract.dates",
    "data_prep.figures": "data_prep.extract.figures",
    "data_prep.numbers": "data_prep.extract.numbers",
    "data_prep.organisations": "data_prep.extract.organisations",
    "data_prep.partnerships": "data_prep.extract.partnerships",
    "data_prep.sectors": "data_prep.extract.sectors",
    "data_prep.pipeline": "data_prep.service",
    "data_prep.deals": "data_prep.enrich.deals",
    "data_prep.fx": "data_prep.enrich.fx",
    "data_prep.store_files": "data_prep.store.files",
    "data_prep.store_rows": "data_prep.store.rows",
    "data_prep.store_schema": "data_prep.store.schema",
    "data_prep.corrections_store": "data_prep.store.corrections",
    "data_prep.corrections_apply": "data_prep.queries.corrections",
    "data_prep.corrections_table": "data_prep.queries.corrections_table",
    "data_prep.gold_export": "data_prep.queries.gold_export",
}

_DOTTED = re.compile(r"\bdata_prep\.([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()")
_FROM_PACKAGE = re.compile(r"^([ \t]*)from[ \t]+data_prep[ \t]+import[ \t]+(.+?)[ \t]*$", re.M)
_RELATIVE_MODULE = re.compile(r"^([ \t]*)from[ \t]+\.([A-Za-z_][A-Za-z0-9_]*)[ \t]+import\b", re.M)
_RELATIVE_PACKAGE = re.compile(r"^([ \t]*)from[ \t]+\.[ \t]+import[ \t]+(.+?)[ \t]*$", re.M)
_STORE_WRITER_CALL = re.compile(r"\bstore\.(build|add_articles|remove_articles|ensure_database)\(")
_SERVICE_IMPORTED = re.compile(r"^\s*from\s+data_prep\s+import\s+[^\n]*\bservice\b|^\s*import\s+data_prep\.service\b", re.M)
_PROJECT_IMPORT = re.compile(r"^(?:from|import)\s+data_prep\b", re.M)
_ANY_IMPORT = re.compile(r"^(?:from|import)\s+(?!__future__)\S[^\n]*\n", re.M)


def _moved(module: str) -> str:
    return MOVES.get(module, module)


def _split_names(names: str) -> list[tuple[str, str]]:
    """`a, b as c` -> [(a, "a"), (b, "b as c")]; a parenthesised list is not split."""
    return [(part.split()[0], part) for part in (p.strip() for p in names.split(",")) if part]


def _from_package_lines(indent: str, names: str) -> str:
    """`from data_prep import fx, store` -> one import line per new home, order kept."""
    if "(" in names or "\\" in names:
        return f"{indent}from data_prep import {names}"
    groups: dict[str, list[str]] = {}
    for name, spelled in _split_names(names):
        parent, leaf = _moved(f"data_prep.{name}").rsplit(".", 1)
        if leaf != name:  # a renamed module keeps its old name in the importing file
            alias = spelled.split(" as ", 1)[1].strip() if " as " in spelled else name
            spelled = f"{leaf} as {alias}"
        groups.setdefault(parent, []).append(spelled)
    return "\n".join(f"{indent}from {parent} import {', '.join(spelled)}"
                     for parent, spelled in groups.items())


def rewrite(source: str, inside_package: bool) -> str:
    """The source with every moved module named by its new home."""
    if inside_package:
        source = _RELATIVE_MODULE.sub(lambda m: f"{m.group(1)}from data_prep.{m.group(2)} import", source)
        source = _RELATIVE_PACKAGE.sub(lambda m: f"{m.group(1)}from data_prep import {m.group(2)}", source)
    source = _FROM_PACKAGE.sub(lambda m: _from_package_lines(m.group(1), m.group(2)), source)
    source = _DOTTED.sub(lambda m: _moved(m.group(0)), source)
    return _store_writers_to_service(source)


def _store_writers_to_service(source: str) -> str:
    """`store.build(...)` -> `service.build(...)`, importing the service where needed."""
    new = _STORE_WRITER_CALL.sub(lambda m: f"service.{m.group(1)}(", source)
    if new == source or _SERVICE_IMPORTED.search(new):
        return new
    project = _PROJECT_IMPORT.search(new)  # beside the project's imports, else after the last import
    last = None
    for last in _ANY_IMPORT.finditer(new):
        pass
    at = project.start() if project else (last.end() if last else 0)
    return new[:at] + "from data_prep import service\n" + new[at:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="only list the files that would change")
    args = parser.parse_args(argv)
    changed = 0
    for path in args.files:
        if path.suffix != ".py" or not path.is_file():
            continue
        old = path.read_text(encoding="utf-8")
        inside = "data_prep" in path.resolve().parts and path.parent.name == "data_prep"
        new = rewrite(old, inside_package=inside)
        if new != old:
            changed += 1
            print(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
