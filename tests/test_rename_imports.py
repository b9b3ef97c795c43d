"""tools/rename_imports.py: imports of the old flat data_prep modules follow the layout move."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "rename_imports", Path(__file__).resolve().parent.parent / "tools" / "rename_imports.py")
rename_imports = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(rename_imports)


@pytest.mark.parametrize("before, inside, after", [
    ("from data_prep.figures import find_figures\n", False,
     "from data_prep.extract.figures import find_figures\n"),
    ("import data_prep.reading\nx = data_prep.reading.read_paths\n", False,
     "import data_prep.ingest.reading\nx = data_prep.ingest.reading.read_paths\n"),
    ("from data_prep import fx, store, records\n", False,
     "from data_prep.enrich import fx\nfrom data_prep import store, records\n"),
    ("from data_prep import corrections_store as cs\n", False,
     "from data_prep.store import corrections as cs\n"),
    ("from data_prep import store_files\n", False, "from data_prep.store import files as store_files\n"),
    ("from .reading import read_paths\nfrom . import limits\n", True,
     "from data_prep.ingest.reading import read_paths\nfrom data_prep.ingest import limits\n"),
    ("from data_prep.pipeline import extract\n", False, "from data_prep.service import extract\n"),
    # names that did not move stay; a relative import outside the package is not touched
    ("from data_prep.records import Figure\nfrom data_prep import corrections\n", False,
     "from data_prep.records import Figure\nfrom data_prep import corrections\n"),
    ("from .reading import x\n", False, "from .reading import x\n"),
    # the store's writers are reached through the service
    ('"""Doc."""\nfrom __future__ import annotations\n\nfrom data_prep import store\n\nstore.build(p, db)\n', False,
     '"""Doc."""\nfrom __future__ import annotations\n\nfrom data_prep import service\nfrom data_prep import store\n\nservice.build(p, db)\n'),
    ("from data_prep import service, store\nstore.ensure_database(db)\nstore.read_connection(db)\n", False,
     "from data_prep import service, store\nservice.ensure_database(db)\nstore.read_connection(db)\n"),
])
def test_rewrite(before, inside, after):
    assert rename_imports.rewrite(before, inside_package=inside) == after
