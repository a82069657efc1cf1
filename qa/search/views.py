"""Search across transcripts, filtered like the calls list."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from qa.calls.forms import SearchForm
from qa.calls.views import fill_filter_choices, filter_args, filters_from
from qa.errors import refuse_invalid, show_form_on_error
from qa.extensions import db
from qa.roles import requires
from qa.search import bp
from qa.services.calls.search import search_transcripts
from qa.services.validation import page_number


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    form = SearchForm(request.args)
    fill_filter_choices(form)
    page = show_form_on_error(
        lambda: render_template(
            "search/index.html", form=form, results=None, error=None, args=filter_args()
        )
    )
    if not form.text.data:
        return page()
    refuse_invalid(form)
    results = search_transcripts(
        form.text.data,
        filters_from(form),
        page=page_number(request.args.get("page")),
        per_page=current_app.config["PAGE_SIZE"],
        said_by=form.said_by.data or None,
        viewer=current_user,
    )
    db.session.commit()  # the audit events of originals shown
    return render_template(
        "search/index.html", form=form, results=results, error=None, args=filter_args()
    )
