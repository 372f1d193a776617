"""Querysets compiled to SQL once per process, then run again with other values (PostgreSQL).

Building a queryset and compiling it to SQL costs Django about 1-2 ms per query on the bench
machine; running the SQL on localhost about 0.3 ms. A quotation's API detail made six such
queries of the same shapes on every request (a third of its time went to compiling them). The
loader's queries differ from request to request only in the ids they ask for, so
:func:`run_compiled` compiles each shape once per process and database alias and then runs the
same SQL text with the new values, through Django's own compiler and iterable (model instances,
``select_related``, annotations and ``values_list`` rows come out exactly as the queryset
gives them).

The values that change go into the query through :func:`any_of`, the one lookup that takes a
whole list as one parameter (``= ANY(%s)``, an array), so the SQL text does not depend on how
many there are. Everything else the builder puts into the query is frozen with the compiled
SQL: a builder must depend only on its ``key`` and the slots it gets. ``VERIFY`` (the test
suite turns it on) recompiles every run from scratch and raises ``AssertionError`` when its SQL
or parameters differ from the reused ones, so a builder that breaks that rule fails its tests.

A model's managers are read once per process too: a default manager whose queryset depends on
the request (the active language, the current site) is frozen at its first use. Wagtail's and
Django's managers do not; a site's own manager that does should give its model no place where
alma-cms loads it by id (or be stated in the ``key`` by the caller).

On databases other than PostgreSQL the queryset is built and compiled every time, with
``any_of`` becoming ``IN (...)``.
"""

from weakref import WeakKeyDictionary

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import F, Lookup

# Recompile every run and compare (tests): see the module's docstring.
VERIFY = False

# (key, database alias) -> (queryset, compiler, sql, params, [(parameter index, value index)],
# [prepare function per value], {connection: {id(select list): converters}} (weak keys))
_compiled = {}


class _Slot(list):
    """A placeholder for the values of one ``any_of`` while the builder runs; compiling it
    records how the lookup's field prepares a value for the database."""

    prepare = None


class AnyOf(Lookup):
    """``lhs = ANY(%s)``: ``rhs`` (a list) as one array parameter, cast to the column's type so
    that PostgreSQL uses the column's index; ``IN (%s, ...)`` on other databases. Empty:
    matches nothing."""

    lookup_name = "alma_any"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field

        def prepare(values):
            return [field.get_db_prep_value(v, connection, prepared=False) for v in values]

        def prepare_array(values):
            prepared = prepare(values)
            if all(type(value) is int for value in prepared):
                # Integers (ids) as PostgreSQL's array input text, which the cast reads:
                # psycopg's list dumper inspects each list for its element type, ~50 µs a
                # query on the bench machine (a third of a by-id query's client time).
                return "{" + ",".join(map(str, prepared)) + "}"
            return prepared

        values = self.rhs
        if connection.vendor == "postgresql":
            if isinstance(values, _Slot):
                values.prepare = prepare_array
                param = values  # found by identity in the compiled parameters
            else:
                param = prepare_array(values)
            return f"{lhs} = ANY(%s::{field.cast_db_type(connection)}[])", [*lhs_params, param]
        if not values:
            raise EmptyResultSet
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *prepare(values)]


def any_of(field, values):
    """A filter (for ``QuerySet.filter``): the rows whose ``field`` (a field name or
    ``"relation__field"``) is one of ``values`` (a list; empty: none)."""
    return AnyOf(F(field), values)


def run_compiled(key, model, build, *values):
    """The results of ``build(*values)`` (a QuerySet of ``model``), as a list: model instances,
    or rows for a ``values``/``values_list`` queryset. ``values``: lists, each passed to
    ``build`` for one :func:`any_of`. ``key``: hashable, and with the slot values the only
    thing ``build`` reads (a model class, a tuple of rendition specs...); the SQL compiled for
    it is reused for every later call with that key on the same database alias (the router's
    for reading ``model``) in this process. Raises ``ValueError`` when a value does not reach
    the SQL through ``any_of``."""
    using = router.db_for_read(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return list(build(*values).using(using))
    entry = _compiled.get((key, using))
    if entry is None:
        slots = [_Slot() for _ in values]
        queryset = build(*slots).using(using)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. ``pk__in=`` an (empty) slot
            raise ValueError(
                f"run_compiled({key!r}): every value must go through any_of()"
            ) from None
        positions = [
            (i, n)
            for i, param in enumerate(params)
            for n, slot in enumerate(slots)
            if param is slot
        ]
        if sorted(n for _, n in positions) != list(range(len(slots))):
            raise ValueError(f"run_compiled({key!r}): every value must go through any_of() once")
        prepare = [slot.prepare for slot in slots]
        entry = _compiled[(key, using)] = (
            queryset,
            compiler,
            sql,
            params,
            positions,
            prepare,
            WeakKeyDictionary(),
        )
    queryset, template, sql, params, positions, prepare, converters = entry
    params = list(params)
    for position, n in positions:
        params[position] = prepare[n](values[n])
    params = tuple(params)
    if VERIFY:
        fresh = build(*values).using(using).query.get_compiler(using=using).as_sql()
        if fresh != (sql, params):
            raise AssertionError(
                f"run_compiled({key!r}): the builder read something besides its key and "
                f"values:\n{fresh}\n!=\n{(sql, params)}"
            )
    # A copy of the compiled compiler (its select list, klass_info and annotation map stay
    # valid) on this thread's connection, returning the reused SQL with the new values.
    compiler = template.__class__.__new__(template.__class__)
    compiler.__dict__.update(template.__dict__)
    compiler.connection = connection
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    # The row converters depend on the select list and the connection only: found once per
    # connection (Django finds them again for every query, ~35 per page row's query).
    found = converters.get(connection)
    if found is None:
        found = converters[connection] = {}

    def get_converters(expressions):
        # The expressions are the compiled query's own (the same objects on every run).
        shape = tuple(map(id, expressions))
        if shape not in found:
            found[shape] = template.__class__.get_converters(compiler, expressions)
        return found[shape]

    compiler.get_converters = get_converters
    chained = queryset._chain()
    chained.query.get_compiler = lambda *args, **kwargs: compiler
    return list(chained._iterable_class(chained))
