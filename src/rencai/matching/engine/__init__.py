"""The matching engine: normalise → tokenise → index → rank → explain → plan. Pure Python, no Django.

Typical use (the command line's file mode and the app both do this)::

    index = TalentIndex.build(talents, thesaurus=load_thesaurus(extra_entries), knowledge=field_knowledge)
    ranker = Ranker(index, weights=learned_or_default_weights)
    result = match(needs, ranker, options=MatchOptions(top=10, min_score=0.35), conflicts=pairs)
"""

from .dense import DenseReranker, load_dense
from .index import TalentIndex
from .knowledge import FieldKnowledge
from .plan import Plan, PlanNeed, plan
from .rank import Candidate, Filters, NeedQuery, Ranker
from .records import Key, NeedRecord, TalentRecord
from .rounds import MatchOptions, MatchResult, NeedResult, forbidden_pairs, match, same_employer
from .thesaurus import Thesaurus, ThesaurusEntry, load_thesaurus, parse_thesaurus_tsv
from .tokenise import Tokeniser
from .weights import DEFAULT_WEIGHTS, RankWeights, choose_weights

__all__ = [
    "DEFAULT_WEIGHTS",
    "Candidate",
    "DenseReranker",
    "FieldKnowledge",
    "Filters",
    "Key",
    "MatchOptions",
    "MatchResult",
    "NeedQuery",
    "NeedRecord",
    "NeedResult",
    "Plan",
    "PlanNeed",
    "RankWeights",
    "Ranker",
    "TalentIndex",
    "TalentRecord",
    "Thesaurus",
    "ThesaurusEntry",
    "Tokeniser",
    "choose_weights",
    "forbidden_pairs",
    "load_dense",
    "load_thesaurus",
    "match",
    "parse_thesaurus_tsv",
    "plan",
    "same_employer",
]
