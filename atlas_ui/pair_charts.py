"""The pair page's money chart: pure `money_over_time frame -> plotly Figure`.

A line is a series: one measure of this pair over time. What was reached is drawn solid,
what was planned (targets, forecasts) dashed with open markers, never added to it.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas_ui import inert
from atlas_ui.charts import fmt_usd

_MEASURE_COLOURS = ("#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b")
_STATUS_WORDS = {"actual": "reached", "planned": "planned"}


def money_chart(money: pd.DataFrame) -> go.Figure:
    """USD by date, one line per measure and status (`pair.money_over_time`'s columns)."""
    fig = go.Figure()
    if money is None or money.empty:
        fig.add_annotation(text="No money in US dollars tied to this pair with a date.",
                           showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(height=200, xaxis={"visible": False}, yaxis={"visible": False})
        return fig
    measures = list(dict.fromkeys(money["measure"]))
    for (measure, status), part in money.groupby(["measure", "status"], sort=False):
        colour = _MEASURE_COLOURS[measures.index(measure) % len(_MEASURE_COLOURS)]
        planned = status == "planned"
        word = _STATUS_WORDS.get(status, inert.chart_text(status))
        name = f"{inert.chart_text(measure)} ({word})"
        fig.add_trace(go.Scatter(
            x=part["date"], y=part["usd"], name=name, mode="lines+markers",
            line={"color": colour, "dash": "dash" if planned else "solid"},
            marker={"color": colour, "size": 10, "symbol": "circle-open" if planned else "circle"},
            hovertext=[f"{name}<br>{d:%Y-%m-%d}: {fmt_usd(v)} ({n} amount{'s' if n != 1 else ''})"
                       for d, v, n in zip(part["date"], part["usd"], part["items"])],
            hovertemplate="%{hovertext}<extra></extra>"))
    fig.update_layout(
        height=320, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": "Money tied to the pair over time (USD; dashed: planned)", "font": {"size": 14}},
        xaxis={"title": "Date of the event"}, yaxis={"title": "US dollars", "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2})
    return fig
