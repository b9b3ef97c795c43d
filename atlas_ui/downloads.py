"""The download buttons under a table: CSV, Parquet and Excel of exactly the rows shown,
each built only when its button is clicked (Streamlit runs the callable then, on its own
thread), so a rerun of the page never pays for files nobody asked for.

Excel holds 1,048,576 rows a sheet: a bigger table gets no Excel button but a message that
offers CSV or Parquet.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Optional

import pandas as pd
import streamlit as st

from atlas_ui import exports, inert, tables

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def buttons(table: Callable[[], pd.DataFrame], rows: int, name: str, key: str,
            spec: Optional[tables.Table] = None) -> None:
    """Three buttons for the table that `table()` returns (`rows` long), files `name.*`,
    with the human headers of `spec` (money as numbers with a currency column)."""

    def frame() -> pd.DataFrame:
        return tables.for_download(table(), spec)

    def excel() -> bytes:
        shown = frame()
        return exports.to_excel_bytes(shown, name, tables.widths_in_chars(spec, list(shown.columns)))

    d1, d2, d3, _ = st.columns([1, 1, 1, 3])
    d1.download_button("Download CSV", lambda: exports.to_csv_bytes(frame()), f"{name}.csv",
                       "text/csv", key=f"{key}_csv", on_click="ignore")
    d2.download_button("Download Parquet", lambda: exports.to_parquet_bytes(frame()),
                       f"{name}.parquet", "application/vnd.apache.parquet",
                       key=f"{key}_parquet", on_click="ignore",
                       help="Every row with its types, for pandas, DuckDB, R or Spark")
    refusal = exports.excel_refusal(rows)
    if refusal:
        d3.button("Download Excel", disabled=True, key=f"{key}_xlsx")
        inert.caption(refusal)
        return
    d3.download_button("Download Excel", excel, f"{name}.xlsx", XLSX, key=f"{key}_xlsx",
                       on_click="ignore")


def chart_data(frame: pd.DataFrame | Callable[[], pd.DataFrame], spec: Optional[tables.Table],
               name: str, key: str) -> None:
    """Under the chart drawn with key `key`: a "Download this chart's data" button (the rows
    the chart was drawn from, as CSV with human headers; `frame` may be a function that
    gives them, run only on a click) and the chart as a PNG or SVG picture (`chart_images`)."""

    def rows() -> pd.DataFrame:
        return frame() if callable(frame) else frame

    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.download_button(
            "Download this chart's data (CSV)",
            lambda: exports.to_csv_bytes(tables.for_download(rows(), spec, others=False)),
            f"{name}.csv", "text/csv", key=f"{key}_data", on_click="ignore",
            icon=":material/download:")
        chart_images(key)


# The chart as a picture, drawn by plotly.js in the browser (no internet, no image library on
# the server). Plotly's own camera button saves one format (`PLOTLY_CONFIG`'s PNG): these
# buttons press it with the other format set for that one click. Plotly reads the format from
# the chart's `_context.toImageButtonOptions` when the button is pressed (a browser test
# guards it: a plotly.js release that changes it makes that test fail, not the page).
_IMAGES_HTML = ("<span class='what'>Save the chart as</span>"
                "<button data-format='png' title='A picture (2× scale)'>PNG</button>"
                "<button data-format='svg' title='A vector drawing, sharp at any size'>SVG</button>")
_IMAGES_CSS = """
:host { display: block; white-space: nowrap; }
.what { font-family: inherit; font-size: 0.875rem; color: rgba(49, 51, 63, 0.6);
        margin-right: 0.5rem; }
button { font-family: inherit; font-size: 0.875rem; padding: 0.3rem 0.75rem; margin-right: 0.4rem;
         border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: white;
         cursor: pointer; }
button:hover { border-color: #ff4b4b; color: #ff4b4b; }
"""
_IMAGES_JS = """
export default function ({ parentElement, data }) {
  parentElement.querySelectorAll('button[data-format]').forEach((button) => {
    button.onclick = () => {
      const chart = document.querySelector(`.st-key-${CSS.escape(data.chart)} .js-plotly-plot`);
      const camera = chart && chart.querySelector(".modebar-btn[data-title^='Download plot']");
      const options = chart && chart._context && chart._context.toImageButtonOptions;
      if (!camera || !options) return;
      const before = options.format;
      options.format = button.dataset.format;
      try { camera.click(); } finally { options.format = before; }
    };
  });
}
"""


@lru_cache(maxsize=1)
def _images_component() -> Any:
    """The component, registered once per process (its name is unique in the app)."""
    return st.components.v2.component("atlas_chart_images", html=_IMAGES_HTML, css=_IMAGES_CSS,
                                      js=_IMAGES_JS)


def chart_images(chart_key: str) -> None:
    """"Save the chart as PNG | SVG" for the chart drawn with key `chart_key`."""
    _images_component()(data={"chart": chart_key}, key=f"{chart_key}_images", width="content")
