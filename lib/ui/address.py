"""The address is the view: the sidebar's page links, and pickers whose short values live in the address
(``docs/links.md``)."""

from __future__ import annotations

import zlib

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from lib import service, store
from lib.ui import data as ui_data
from lib.ui.text import plain

PICKER_STORIES = 300  # the largest stories offered in the picker; any other is reachable by its link
# the pages, in the sidebar's order: (file, the name the sidebar shows, the page's title)
PAGES = (("dashboard.py", "Home", "FrameScope"), ("pages/1_Coverage.py", "Coverage", "Coverage"),
         ("pages/2_Reuse.py", "Reuse", "Reuse"), ("pages/3_Entities.py", "Entities", "Entities and sources"),
         ("pages/4_Keywords.py", "Keywords", "Keywords"), ("pages/5_Topics.py", "Topics", "Topics"),
         ("pages/6_Compare.py", "Compare", "Compare"), ("pages/7_Dataset.py", "Dataset", "Dataset"))
SHARED = ("corpus", "story", "no_copies")  # the sidebar's choices, which every page's link carries
LARGEST = "largest"  # a page's first story: the largest carried by the most outlets (Compare)

def to_url(param: str, value: str | list[str] | None) -> None:
    """Write a choice into the address (``?param=value``, repeated for a list); ``None`` removes it."""
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get_all(param) != (value if isinstance(value, list) else [value]):
        st.query_params[param] = value

def valid_choice(key: str, options: list) -> list:
    """Forget a widget's choice (from the URL or an earlier run) that is no longer among its options,
    so it falls back to the first (a multiselect keeps the choices still offered), saying so when the address
    asked for it; returns the options."""
    offered = {str(o) for o in options}
    if unknown := [v for v in st.query_params.get_all(key) if v not in offered]:
        st.warning(f"The link asks for {', '.join(map(plain, unknown))}, which this view does not offer; showing "
                   + (f"{plain(options[0])} instead." if options else "nothing."))
    value = st.session_state.get(key)
    if isinstance(value, list) and not set(value) <= set(options):
        st.session_state[key] = [v for v in value if v in set(options)]
    elif key in st.session_state and not isinstance(value, list) and value not in options:
        del st.session_state[key]
    return options

def _widget_key(param: str, widget: str) -> str:
    """A picker's widget key: its parameter, and a stable hash of ``widget`` (the options it belongs to) so that
    another set of options is another widget, whose labels follow at once."""
    return f"{param}@{zlib.crc32(widget.encode()):08x}" if widget else param


def choice(where, label: str, options: dict[str, str] | list[str], param: str, default: str | None = None,
           widget: str = "", help: str | None = None) -> str:
    """A picker whose choice lives in the address as its short value (``?param=value``; labels are only shown),
    read from the address on every run and written back when it changes, the ``default`` (the first option when
    not given) left out. A value the address asks for that is not offered gets a warning naming what is shown
    instead. ``widget`` names the widget's own state apart (per corpus, per view), so that its labels follow the
    options at once."""
    labels = options if isinstance(options, dict) else {o: o for o in options}
    default = default if default in labels else next(iter(labels))
    wanted = st.query_params.get(param)
    if wanted is not None and wanted not in labels:
        st.warning(f"{label}: {plain(wanted)} is not offered here; showing {plain(labels[default])}.")
        wanted = None
    key = _widget_key(param, widget)
    st.session_state[key] = default if wanted is None else wanted

    def changed() -> None:
        to_url(param, None if st.session_state[key] == default else st.session_state[key])

    picked = where.selectbox(label, list(labels), format_func=labels.get, key=key, on_change=changed, help=help)
    to_url(param, None if picked == default else picked)
    return picked

def choices(where, label: str, options: dict[str, str], param: str, widget: str = "",
            max_selections: int | None = None) -> list[str]:
    """``choice`` for several values (a multiselect, empty by default): ``?param=a&param=b``; values the address
    asks for that are not offered are left out, with a warning that names them."""
    wanted = st.query_params.get_all(param)
    if unknown := [w for w in wanted if w not in options]:
        st.warning(f"{label}: {', '.join(map(plain, unknown))} not offered here; left out.")
    key = _widget_key(param, widget)
    st.session_state[key] = [w for w in wanted if w in options][:max_selections]

    def changed() -> None:
        to_url(param, st.session_state[key] or None)

    picked = where.multiselect(label, list(options), format_func=options.get, key=key, on_change=changed,
                               max_selections=max_selections)
    to_url(param, picked or None)
    return picked

def _story_picker(corpus: str, version: store.Version, first: str) -> int | None:
    """The story picker (``?story=ID``, ``all`` for every article): a story's number is its value in the
    address; an old link's label ("12: terms (n articles)") is read by its number. Without one in the address,
    the page's ``first`` story: "all", or ``LARGEST`` (then written into the address, as any story picked)."""
    labels = ui_data.story_labels(corpus, version)
    biggest = service.largest_story(ui_data.story_result(corpus, version)) if first == LARGEST else None
    default = str(biggest) if str(biggest) in labels else "all"
    wanted = st.query_params.get("story")
    if wanted is not None and wanted not in labels:
        wanted = wanted.split(":", 1)[0].strip()
        if wanted not in labels:
            st.warning(f"There is no story {plain(st.query_params.get('story'))} with more than one article in "
                       f"{plain(corpus)}; showing {plain(labels[default])}.")
            wanted = None
    st.session_state["story"] = wanted if wanted is not None else default
    options = list(labels)[: PICKER_STORIES + 1]
    if st.session_state["story"] not in options:
        options.append(st.session_state["story"])
    picked = st.sidebar.selectbox(
        "Story", options, format_func=labels.get, key="story",
        on_change=lambda: to_url("story", _story_param(st.session_state["story"], first)),
        help="Articles about the same event, found by clustering (see Coverage).")
    to_url("story", _story_param(picked, first))
    if first == LARGEST and picked == default and default != "all":
        st.caption(f"Showing story {picked}, the largest story carried by the most outlets: "
                   f"{plain(labels[picked])}. Pick another, or all articles, in the sidebar.")
    return None if picked == "all" else int(picked)

def _story_param(picked: str, first: str) -> str | None:
    """The story as the address holds it: its number, so that every page's link carries it; "all" only where
    the page would otherwise open on a story (``LARGEST``)."""
    return None if picked == "all" and first != LARGEST else picked

def navigation(where, page: str) -> None:
    """The sidebar's links to every page, each carrying the sidebar's choices (``SHARED``) and the controls that
    page had when last seen in this session, so that a click keeps the view (Streamlit's own page list drops the
    address). ``page`` is the current page's name (``PAGES``)."""
    views = st.session_state.setdefault("_views", {})  # page -> its own controls, as last in the address
    views[page] = {k: v for k, v in st.query_params.to_dict().items() if k not in SHARED}
    shared = {k: st.query_params[k] for k in SHARED if k in st.query_params}
    for path, name, _ in PAGES:
        try:
            where.page_link(path, label=name, query_params={**shared, **views.get(name, {})},
                            disabled=name == page)
        except StreamlitPageNotFoundError:  # a page run on its own (AppTest) has no other pages
            return

_COPY_LINK = st.components.v2.component(
    "framescope_copy_link",
    html="""<div class="link">
<input class="url" type="text" readonly aria-label="Link to this view">
<button class="copy" type="button">Copy link</button>
<span class="said" role="status"></span>
</div>""",
    css="""
.link { display: flex; flex-wrap: wrap; gap: 0.3rem; align-items: center; font-family: var(--st-font); }
.url { flex: 1 1 100%; min-width: 0; font-size: 0.75rem; padding: 0.25rem 0.4rem;
  color: var(--st-text-color); background: var(--st-secondary-background-color);
  border: 1px solid var(--st-border-color, #ccc); border-radius: 0.4rem; }
.copy { font-size: 0.85rem; padding: 0.25rem 0.7rem; cursor: pointer; color: var(--st-text-color);
  background: var(--st-background-color); border: 1px solid var(--st-border-color, #ccc); border-radius: 0.4rem; }
.said { font-size: 0.75rem; color: var(--st-text-color); opacity: 0.7; }
""",
    js="""
const timers = new WeakMap()
export default function (component) {
  const { parentElement } = component
  const url = parentElement.querySelector(".url")
  const copy = parentElement.querySelector(".copy")
  const said = parentElement.querySelector(".said")
  const show = () => { if (url.value !== window.location.href) url.value = window.location.href }
  show()
  if (!timers.has(parentElement)) timers.set(parentElement, setInterval(show, 700))
  url.onfocus = () => { show(); url.select() }
  copy.onclick = async () => {
    show()
    try {
      await navigator.clipboard.writeText(url.value)
      said.textContent = "Copied"
    } catch (e) {
      url.focus()
      url.select()
      said.textContent = "Press Ctrl+C (or Cmd+C) to copy"
    }
  }
  return () => { clearInterval(timers.get(parentElement)); timers.delete(parentElement) }
}
""",
)

def copy_link() -> None:
    """The link to this view (every control of the page is in it), with a button that copies it. Read
    from the browser's address bar when shown and when clicked, so it is always the current view."""
    with st.sidebar:
        st.caption("Share this view")
        _COPY_LINK(key="copy_link")
