"""Chinese tokenising for matching: rjieba in search mode over normalised text.

Search mode emits a long word and its dictionary sub-words (不饱和聚酯树脂 → 不饱和, 聚酯, 树脂, 聚酯树脂),
so a profile's academic compound still meets a need's shorter business word. Thesaurus terms are added
to the dictionary so that 钕铁硼, 制造执行系统 or 饮料瓶 come out whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import rjieba

from .normalise import normalise

__all__ = ["STOPWORDS", "Tokeniser", "topic_word"]

# Function words and the filler of enterprise and CV prose; they carry no topic.
STOPWORDS = frozenset(
    """
    的 了 和 与 及 或 等 在 对 为 以 于 从 向 把 被 是 有 无 不 也 都 就 要 会 能 可 将 并 而 其 该 此 这 那 之 中
    上 下 个 各 每 做 用 使 让 给 到 由 至 又 再 还 很 较 更 最 已 未 所 如 若 因 但 则 即 共 之间 以及 及其 其中
    通过 进行 开展 实现 具有 相关 方面 有关 一种 一个 一些 这些 那些 我们 我司 本公司 公司 企业 单位 目前 现在
    需要 需求 希望 寻求 寻找 急需 拟 想 能够 可以 如何 怎样 问题 情况 工作 主要 包括 存在 提供 采用 利用 基于
    研究 技术 应用 方法 分析 开发 项目 领域 方向 专业 相关专业 经验 以上 优先 人员 人才 专家 团队 合作 解决
    提高 提升 降低 改善 优化 增加 减少 加强 支持 帮助 协助 负责 参与 主持 完成 发表 论文 篇 项 次 年 月 日
    左右 多 少 大 小 高 低 好 新 等等 其他 其它 一是 二是 三是 尤其 特别 非常 比较 一直 经常 逐步 有效
    """.split()
)


class Tokeniser:
    """Normalise, cut in search mode, drop punctuation, numbers and stop words.

    One instance owns its rjieba dictionary, so the words of one office's thesaurus never leak into
    another's.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        # Decisions of _keep, memoised: a million profiles repeat the same tokens endlessly. Bounded by the
        # vocabulary, which the index holds anyway.
        self._accepted: set[str] = set()
        self._rejected: set[str] = set(STOPWORDS)
        for word in words:
            self.add_word(word)

    def add_word(self, word: str) -> None:
        word = normalise(word)
        if len(word) > 1 and " " not in word:
            # A high frequency makes the word win against jieba's own split of the same characters.
            self._jieba.add_word(word, 200_000, "n")

    def tokens(self, text: str) -> list[str]:
        """Tokens of `text` in reading order (search mode may repeat characters across tokens)."""
        text = normalise(text)
        if not text:
            return []
        return self._filter(self._jieba.cut_for_search(text))

    def analyse(self, text: str) -> tuple[list[str], list[str]]:
        """Search-mode tokens (for words) and plain-cut words (for thesaurus concepts).

        Concepts are looked up in the plain cut only: search mode's sub-words can name a concept the text
        is not about (冷轧钢板 yields 轧钢).
        """
        text = normalise(text)
        if not text:
            return [], []
        return self._filter(self._jieba.cut_for_search(text)), self._filter(self._jieba.cut(text))

    def analyse_fields(self, texts: Sequence[str]) -> list[tuple[list[str], list[str]]]:
        """`analyse` for several columns at once: one normalisation and one pass of each cut, which is
        what makes indexing a million profiles affordable."""
        joined = normalise(_SEPARATOR.join(t.replace(_SEPARATOR, " ") for t in texts))
        tokens = self._filter_split(self._jieba.cut_for_search(joined), len(texts))
        words = self._filter_split(self._jieba.cut(joined), len(texts))
        return list(zip(tokens, words, strict=True))

    def words_fields(self, texts: Sequence[str]) -> list[list[str]]:
        """The plain-cut words of `analyse_fields` alone (what thesaurus lookups use), without the
        search-mode cut: half the work, for callers that never look at the tokens (reasons)."""
        joined = normalise(_SEPARATOR.join(t.replace(_SEPARATOR, " ") for t in texts))
        return self._filter_split(self._jieba.cut(joined), len(texts))

    def _filter(self, tokens: list[str]) -> list[str]:
        return self._filter_split(tokens, 1)[0]

    def _filter_split(self, tokens: list[str], parts: int) -> list[list[str]]:
        """Kept tokens, split into `parts` lists at the separator."""
        accepted, rejected = self._accepted, self._rejected
        current: list[str] = []
        out = [current]
        for token in tokens:
            if token in accepted:
                current.append(token)
            elif token == _SEPARATOR:
                current = []
                out.append(current)
            elif token not in rejected:
                if _keep(token):
                    accepted.add(token)
                    current.append(token)
                else:
                    rejected.add(token)
        out += [[] for _ in range(parts - len(out))]
        return out[:parts]


_SEPARATOR = "¦"  # survives normalisation and comes out of rjieba as a token of its own


@lru_cache(maxsize=1 << 18)
def topic_word(token: str) -> bool:
    """Whether a (normalised) token can say what a text is about: not a stop word, number or punctuation.
    Memoised: the reasons of a round ask about the same few thousand words hundreds of thousands of times."""
    return _keep(token)


def _keep(token: str) -> bool:
    if token in STOPWORDS:
        return False
    if token.isalnum():
        # Pure numbers (years, counts) say nothing about a topic; 5g, 3d, mes do.
        return not token.isdigit() and not (token.isascii() and len(token) == 1)
    return len(token) > 1 and any(char.isalnum() for char in token) and not token.isspace()
