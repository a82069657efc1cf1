"""Search across transcripts, filtered like the calls list."""

from __future__ import annotations

from flask import current_app, render_template, request

from qa.calls.forms import SearchForm
from qa.calls.views import fill_filter_choices, filter_args, filters_from
from qa.roles import requires
from qa.search import bp
from qa.services.calls.search import search_transcripts
from qa.services.errors import ValidationFailed


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    form = SearchForm(request.args)
    fill_filter_choices(form)
    results, error = None, None
    if form.text.data and form.validate():
        try:
            results = search_transcripts(
                form.text.data,
                filters_from(form),
                page=request.args.get("page", 1, type=int),
                per_page=current_app.config["PAGE_SIZE"],
                said_by=form.said_by.data or None,
            )
        except ValidationFailed as exc:
            error = str(exc)
    status = 400 if (error or form.errors) else 200
    return render_template(
        "search/index.html", form=form, results=results, error=error, args=filter_args()
    ), status
