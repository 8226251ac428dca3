"""Pickle, limited to the classes a caller names, for what one build leaves for the next.

pickle stores the model's frozen data classes in one call and loads them fast, but loading an
arbitrary pickle runs whatever it says: a site folder handed over from elsewhere, with a
doctored .cache/, must not run code on the next build. So loading goes through an Unpickler
whose find_class (the only way a pickle reaches any callable) answers only for the classes
the caller lists, as the pickle documentation recommends ("Restricting Globals"); anything
else makes the load fail, and the caller then builds without the saved state.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle
from typing import Any, Iterable

PROTOCOL = 5
_ALWAYS = (dt.date, dt.datetime, dt.time, dt.timedelta, dt.timezone)   # values YAML gives


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, allowed: dict[tuple[str, str], type]):
        super().__init__(io.BytesIO(data))
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        found = self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not stored in the build state")
        return found


class _Pickler(pickle.Pickler):
    """Data classes as cls(*fields): loading then runs each class's generated __init__, three
    times faster than the __setstate__ of slotted data classes (which asks for the fields of
    the class again for every object)."""

    def __init__(self, out: io.BytesIO, fields: dict[type, tuple[str, ...]]):
        super().__init__(out, protocol=PROTOCOL)
        self.fields = fields

    def reducer_override(self, obj: Any) -> Any:
        names = self.fields.get(type(obj))
        if names is None:
            return NotImplemented
        return type(obj), tuple(getattr(obj, name) for name in names)


class Pickled:
    """dumps / loads for values made of plain Python values and the `classes` given (data
    classes whose fields are all arguments of __init__, in order)."""

    def __init__(self, classes: Iterable[type]):
        classes = tuple(classes)
        self.allowed = {(cls.__module__, cls.__qualname__): cls for cls in (*classes, *_ALWAYS)}
        self.fields = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in classes if dataclasses.is_dataclass(cls)}

    def dumps(self, value: Any) -> bytes:
        out = io.BytesIO()
        _Pickler(out, self.fields).dump(value)
        return out.getvalue()

    def loads(self, data: bytes) -> Any:
        """The value, or an exception (pickle.UnpicklingError, ValueError, …) for data this
        module did not write."""
        return _Unpickler(data, self.allowed).load()
