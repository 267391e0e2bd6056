"""`lists.cells.is_web_url`: which links are http(s) URLs of a plausible host (the README's
'bad-url' and 'bad-code-url' anomalies). A fast pattern decides the common case; it may accept
only what the full check (urlsplit, then the host name's shape) accepts."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from prune2bib.lists.cells import _PLAIN_WEB_URL, _parsed_web_url, is_web_url


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/1707.06168",
    "http://openaccess.thecvf.com/content_ICCV_2017/papers/He_Channel_Pruning_ICCV_2017_paper.pdf",
    "HTTPS://Arxiv.ORG/abs/1707.06168",  # scheme and host in any case
    "https://openreview.net/forum?id=rJl-b3RcF7",
    "https://github.com/yihui-he/channel-pruning#readme",
    "https://example.org:8080/x",  # a port (parsed)
])  # fmt: skip
def test_web_urls(url):
    assert is_web_url(url)


@pytest.mark.parametrize("url", [
    "arxiv.org/abs/1707.06168", "ftp://example.org/x", "https://https://x", "https://localhost/x",
    "https://user@example.org/x", "https://example.org:99999/x", "https://example.org:٨٠/x",
    "https://ſub.example.org/x", "https:///x", "",
])  # fmt: skip
def test_not_web_urls(url):
    assert not is_web_url(url)


URL_TEXT = st.text(alphabet="hHtTpPsS:/.?#@-_aAzZ09٨ſ\u212a []%", max_size=40)


@given(st.one_of(URL_TEXT, st.builds("{}://{}".format, st.sampled_from(["http", "HTTPS", "ftp"]), URL_TEXT)))
@example("https://example.org:99999")
@example("https://example.org:٨٠")
@example("https://ſ.example.org")
def test_the_fast_pattern_accepts_only_what_the_full_check_accepts(url):
    if _PLAIN_WEB_URL.fullmatch(url):
        assert _parsed_web_url(url), url
    assert is_web_url(url) == _parsed_web_url(url)
