"""A department's own deck (issue 21, item 3): not the district's slides with a filter, but slides made of what
the department answers for and what it counts. Two kinds of figure are its own:

- the indicators the catalog names it responsible for (责任部门): their district figure, since the department
  answers for the whole of it (区司法局 for the district's 2712 disputes), marked 全区数（本部门负责）;
- the indicators that split by department (applies_department) where its own rows count something: its own
  share (区司法局 as respondent in 行政复议, as the department 12345 requests go to).

Everything else (another department's reported figures, the district's totals it has no part in) is left out.
Areas with little of its own share a slide, so that no slide is more than half empty: a slide holds up to
FIGURES_PER_SLIDE figures and its charts, and area slides without charts are merged while they fit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Connection

from dashboard.content.screen import headline
from data import catalog, writeup
from data.queries.dimensions import dimensions
from data.queries.figures import Figure, figures
from data.queries.filters import Filters
from layouts import writeup as words
from layouts.decks import Deck, Slide

FIGURES_PER_SLIDE = 4
RESPONSIBLE_NOTE = "全区数（本部门负责）"
OWN_NOTE = "本部门数"


def responsible_for(name: str, ind: catalog.Indicator) -> bool:
    """Whether the department called ``name`` is ``ind``'s responsible one: the catalog names departments as the
    district's own (区司法局), a district may prefix its name (新建区司法局)."""
    return name == ind.responsible or name.endswith(ind.responsible.removeprefix("区"))


@dataclass
class Own:
    """One department's figures for a deck, and how its slides draw and say them."""

    name: str
    filters: Filters
    chosen: list[tuple[Figure, str]]
    figures: dict[str, Figure] = field(init=False)
    heads: dict[str, dict] = field(init=False)

    def __post_init__(self) -> None:
        self.figures = {f.code: f for f, _ in self.chosen}
        self.heads = heads(self.chosen, self.filters)

    def notes(self, codes: tuple[str, ...] | list[str]) -> str:
        return notes(self.chosen, tuple(codes), self.name, self.filters.year)

    def chart_filters(self, code: str) -> Filters:
        """A chart of a figure the department answers for is the district's, like its number."""
        kinds = dict((f.code, k) for f, k in self.chosen)
        return replace(self.filters, departments=()) if kinds.get(code) == RESPONSIBLE_NOTE else self.filters


def own(conn: Connection, filters: Filters) -> Own:
    """The department of ``filters`` (exactly one) and its figures."""
    (code,) = filters.departments
    name = dimensions(conn).names().get(code, code)
    return Own(name, filters, own_figures(conn, filters, name))


def own_figures(conn: Connection, filters: Filters, name: str) -> list[tuple[Figure, str]]:
    """The department's figures in catalog order, each with what it is (RESPONSIBLE_NOTE or OWN_NOTE)."""
    cat = catalog.load()
    district = {f.code: f for f in figures(conn, replace(filters, departments=()))}
    own = {f.code: f for f in figures(conn, filters) if cat[f.code].applies_department}
    out = []
    for ind in cat.values():
        if responsible_for(name, ind) and ind.code in district:
            out.append((district[ind.code], RESPONSIBLE_NOTE))
        elif ind.code in own and own[ind.code].value:
            out.append((own[ind.code], OWN_NOTE))
    return out


def department_deck(deck: Deck, chosen: list[tuple[Figure, str]]) -> Deck:
    """``deck``'s order of areas with the department's figures in place of the district's: an area's slide
    keeps its charts only where the department's figures include the chart's indicator."""
    slides = []
    for slide in deck.slides:
        if slide.kind != "area":
            slides.append(slide)
            continue
        codes = tuple(f.code for f, _ in chosen if f.area == slide.area)
        for part in _balanced(codes):
            chart = slide.chart if slide.chart in part else None
            split = slide.split if slide.split and slide.split[0] in part else None
            slides.append(Slide("area", slide.area, part, chart, split))
    return replace(deck, slides=tuple(slides))


def _balanced(codes: tuple[str, ...]) -> list[tuple[str, ...]]:
    """``codes`` over as few slides as hold them, as evenly as they go (7 as 4 and 3, never 4, 2 and 1)."""
    if not codes:
        return []
    parts = -(-len(codes) // FIGURES_PER_SLIDE)
    size, extra = divmod(len(codes), parts)
    out, start = [], 0
    for n in range(parts):
        end = start + size + (1 if n < extra else 0)
        out.append(codes[start:end])
        start = end
    return out


def fullness(slide: dict) -> float:
    """How much of an area slide is used: its figures' share of FIGURES_PER_SLIDE, and half for its charts."""
    charts = 0.5 if slide.get("chart") or slide.get("split") else 0.0
    return min(1.0, len(slide.get("figures", [])) / FIGURES_PER_SLIDE + charts)


def merge_sparse(slides: list[dict]) -> list[dict]:
    """Area slides with no chart and few figures, one after another, as one slide (依法决策 · 行政执法) while
    their figures fit: a slide is never more than half empty where a neighbour could fill it."""
    out: list[dict] = []
    for slide in slides:
        last = out[-1] if out else None
        plain = slide.get("kind") == "area" and not slide.get("chart") and not slide.get("split")
        fits = (
            plain
            and last is not None
            and last.get("kind") == "area"
            and not last.get("chart")
            and not last.get("split")
            and len(last["figures"]) + len(slide["figures"]) <= FIGURES_PER_SLIDE
        )
        if fits:
            out[-1] = last | {
                "title": f"{last['title']} · {slide['title']}",
                "areas": [*last.get("areas", [last["area"]]), slide["area"]],
                "figures": [*last["figures"], *slide["figures"]],
                "notes": f"{last['notes']}{slide['notes']}",
            }
        else:
            continued = (
                last is not None and last.get("kind") == "area" and last.get("area") == slide.get("area")
            )
            out.append(slide | {"title": f"{slide['title']}（续）"} if continued else slide)
    return out


def heads(chosen: list[tuple[Figure, str]], filters: Filters) -> dict[str, dict]:
    """Each figure as a slide draws it, with what it is in its note (the district's, or the department's own)."""
    cat = catalog.load()
    district = replace(filters, departments=())
    out = {}
    for fig, kind in chosen:
        shown = headline(fig.to_dict(), cat[fig.code], district if kind == RESPONSIBLE_NOTE else filters)
        out[fig.code] = shown | {"note": kind, "mark": "全区" if kind == RESPONSIBLE_NOTE else "本部门"}
    return out


def notes(chosen: list[tuple[Figure, str]], codes: tuple[str, ...], department: str, year: int) -> str:
    """The talking points: a figure the department answers for in the report's own sentence; one of its own
    share by its name, said as the department's (区司法局收到行政复议申请37件)."""
    kinds = {f.code: (f, k) for f, k in chosen}
    said, named = [], False
    for code in codes:
        fig, kind = kinds[code]
        if kind == RESPONSIBLE_NOTE:
            said.append(words.say(writeup.load(), [fig], year))
        else:
            # the department named once, at its first figure of the paragraph
            subject = "" if named else department
            named = True
            said.append(words.fill(f"{subject}{fig.name}{{value}}，{{change}}；", fig, year, whole=False))
    text = "".join(said).rstrip("，；、")
    return text if not text or text.endswith("。") else text + "。"
