"""Command-line options built from the API's option models: the same names (with dashes), defaults and help."""

from __future__ import annotations

import argparse
from typing import Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ValidationError

from redactor.engine.manual import Region
from redactor.errors import InvalidOptionError
from redactor.service.options import COMMA_LISTS, RedactRequestOptions, describe_errors

ModelT = TypeVar("ModelT", bound=BaseModel)

# Earlier spellings of some options, still accepted.
ALIASES = {
    "score_threshold": ("--threshold",),
    "allow_list": ("--allow",),
    "deny_list": ("--deny",),
    "license_plates": ("--plates",),
}


def add_options(parser: argparse.ArgumentParser, model: type[BaseModel]) -> None:
    """One option per field of ``model``; unset options stay None so the model's defaults apply."""
    group = parser.add_argument_group("options (the fields of the HTTP API, same names and defaults)")
    for name, field in model.model_fields.items():
        flags = (f"--{name.replace('_', '-')}", *ALIASES.get(name, ()))
        text = (field.description or "").replace("`", "")
        annotation = field.annotation
        if annotation is bool:
            group.add_argument(*flags, dest=name, action="store_true", default=None, help=text)
        elif get_origin(annotation) is list:
            more = "comma list, repeatable" if name in COMMA_LISTS else "repeatable"
            group.add_argument(
                *flags, dest=name, action="append", default=None, metavar="VALUE", help=f"{text} ({more})"
            )
        elif get_origin(annotation) is Literal:
            choices = [str(choice) for choice in get_args(annotation)]
            help_text = f"{text} (default {field.default})"
            group.add_argument(*flags, dest=name, choices=choices, default=None, help=help_text)
        else:
            default = "" if field.default is None else f" (default {field.default})"
            group.add_argument(*flags, dest=name, default=None, metavar=name.upper(), help=text + default)


def options_from(model: type[ModelT], args: argparse.Namespace) -> ModelT:
    """The model validated from the options given; invalid values raise InvalidOptionError (exit 1)."""
    data: dict[str, object] = {}
    for name in model.model_fields:
        value = getattr(args, name, None)
        if value is None:
            continue
        if name in COMMA_LISTS:
            value = [part.strip() for item in value for part in item.split(",") if part.strip()]
        data[name] = value
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise InvalidOptionError(describe_errors(e.errors())) from e


def regions_from(form: RedactRequestOptions) -> tuple[Region, ...] | None:
    """The ``--boxes`` to paint, or None; a malformed list raises InvalidOptionError (exit 1)."""
    try:
        return form.regions()
    except ValidationError as e:
        raise InvalidOptionError(describe_errors(e.errors(), within="boxes")) from e
