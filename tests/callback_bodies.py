"""Callback request bodies as the browser sends them, built from the app's own callback map."""

from __future__ import annotations

from dash import Dash

from layouts import ids


def area_panels(app: Dash, area: str, state: object) -> dict:
    """The request for every panel of an area page (one callback), with the filters store at ``state``."""
    output = next(k for k in app.callback_map if f"{ids.panel(area, 'kpis')}.children" in k)
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    outputs = [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": [{"id": ids.FILTERS, "property": "data", "value": state}],
        "changedPropIds": [f"{ids.FILTERS}.data"],
    }
