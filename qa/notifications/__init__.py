"""The notifications blueprint: the reader's digest, opening a notification, marking read."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
