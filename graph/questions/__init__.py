"""The questions dealgraph answers, one module per family, each a pure function of a graph.

Every function takes a `QuestionGraph` (a projection of a store, see projection.py) or a
GraphStore (projected on the spot), an optional `as_of` day, and returns a typed result
that carries its evidence: chains of relationships with their ends and sources.
"""

from graph.questions.projection import QuestionGraph, UnknownEntity, as_graph, in_force

__all__ = ["QuestionGraph", "UnknownEntity", "as_graph", "in_force"]
