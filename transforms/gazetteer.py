"""Country names: every variant (pycountry's ISO names plus conventional English news names) -> one
canonical name, and demonyms -> country. General knowledge, not tied to any article.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from transforms.text import fold

# Canonical English names as news wires write them, where ISO's short name differs (by alpha-3).
NEWS_NAMES: dict[str, str] = {
    "TUR": "Turkey", "RUS": "Russia", "GBR": "United Kingdom", "USA": "United States", "KOR": "South Korea",
    "PRK": "North Korea", "IRN": "Iran", "SYR": "Syria", "VNM": "Vietnam", "LAO": "Laos", "BOL": "Bolivia",
    "VEN": "Venezuela", "TZA": "Tanzania", "MDA": "Moldova", "TWN": "Taiwan", "CZE": "Czech Republic",
    "CIV": "Ivory Coast", "PSE": "Palestine", "COD": "Democratic Republic of the Congo", "COG": "Republic of the Congo",
    "MMR": "Myanmar", "MKD": "North Macedonia", "FSM": "Micronesia", "BRN": "Brunei", "CPV": "Cape Verde",
    "SWZ": "Eswatini", "VAT": "Vatican City", "TLS": "East Timor", "KGZ": "Kyrgyzstan",
}
EXTRA_VARIANTS: dict[str, str] = {
    "turkey": "TUR", "türkiye": "TUR", "turkiye": "TUR", "russia": "RUS", "russian federation": "RUS",
    "uk": "GBR", "u.k.": "GBR", "britain": "GBR", "great britain": "GBR", "england": "GBR",
    "us": "USA", "u.s.": "USA", "u.s.a.": "USA", "usa": "USA", "united states of america": "USA",
    "america": "USA", "uae": "ARE", "u.a.e.": "ARE", "emirates": "ARE", "ivory coast": "CIV",
    "côte d'ivoire": "CIV", "palestine": "PSE", "palestinian territories": "PSE", "burma": "MMR",
    "drc": "COD", "dr congo": "COD", "congo-kinshasa": "COD", "congo-brazzaville": "COG", "holland": "NLD",
    "the netherlands": "NLD", "vatican": "VAT", "east timor": "TLS", "swaziland": "SWZ", "macedonia": "MKD",
    "czechia": "CZE", "the philippines": "PHL", "the gambia": "GMB", "saudi": "SAU", "persia": "IRN",
}
DEMONYMS: dict[str, str] = {
    "afghan": "AFG", "albanian": "ALB", "algerian": "DZA", "american": "USA", "angolan": "AGO",
    "argentine": "ARG", "argentinian": "ARG", "armenian": "ARM", "australian": "AUS", "austrian": "AUT",
    "azerbaijani": "AZE", "bahraini": "BHR", "bangladeshi": "BGD", "belarusian": "BLR", "belgian": "BEL",
    "bolivian": "BOL", "bosnian": "BIH", "brazilian": "BRA", "british": "GBR", "bulgarian": "BGR",
    "burmese": "MMR", "cambodian": "KHM", "cameroonian": "CMR", "canadian": "CAN", "chadian": "TCD",
    "chilean": "CHL", "chinese": "CHN", "colombian": "COL", "congolese": "COD", "croatian": "HRV",
    "cuban": "CUB", "cypriot": "CYP", "czech": "CZE", "danish": "DNK", "dutch": "NLD", "ecuadorian": "ECU",
    "egyptian": "EGY", "emirati": "ARE", "eritrean": "ERI", "estonian": "EST", "ethiopian": "ETH",
    "filipino": "PHL", "finnish": "FIN", "french": "FRA", "georgian": "GEO", "german": "DEU",
    "ghanaian": "GHA", "greek": "GRC", "guatemalan": "GTM", "haitian": "HTI", "honduran": "HND",
    "hungarian": "HUN", "icelandic": "ISL", "indian": "IND", "indonesian": "IDN", "iranian": "IRN",
    "iraqi": "IRQ", "irish": "IRL", "israeli": "ISR", "italian": "ITA", "ivorian": "CIV", "jamaican": "JAM",
    "japanese": "JPN", "jordanian": "JOR", "kazakh": "KAZ", "kenyan": "KEN", "korean": "KOR",
    "kuwaiti": "KWT", "kyrgyz": "KGZ", "lao": "LAO", "latvian": "LVA", "lebanese": "LBN", "libyan": "LBY",
    "lithuanian": "LTU", "malaysian": "MYS", "malian": "MLI", "maltese": "MLT", "mexican": "MEX",
    "moldovan": "MDA", "mongolian": "MNG", "moroccan": "MAR", "mozambican": "MOZ", "namibian": "NAM",
    "nepali": "NPL", "nepalese": "NPL", "nicaraguan": "NIC", "nigerian": "NGA", "nigerien": "NER",
    "norwegian": "NOR", "omani": "OMN", "pakistani": "PAK", "palestinian": "PSE", "panamanian": "PAN",
    "paraguayan": "PRY", "peruvian": "PER", "polish": "POL", "portuguese": "PRT", "qatari": "QAT",
    "romanian": "ROU", "russian": "RUS", "rwandan": "RWA", "saudi": "SAU", "senegalese": "SEN",
    "serbian": "SRB", "singaporean": "SGP", "slovak": "SVK", "slovenian": "SVN", "somali": "SOM",
    "south african": "ZAF", "south korean": "KOR", "north korean": "PRK", "spanish": "ESP",
    "sri lankan": "LKA", "sudanese": "SDN", "south sudanese": "SSD", "swedish": "SWE", "swiss": "CHE",
    "syrian": "SYR", "taiwanese": "TWN", "tajik": "TJK", "tanzanian": "TZA", "thai": "THA",
    "tunisian": "TUN", "turkish": "TUR", "turkmen": "TKM", "ugandan": "UGA", "ukrainian": "UKR",
    "uruguayan": "URY", "uzbek": "UZB", "venezuelan": "VEN", "vietnamese": "VNM", "yemeni": "YEM",
    "zambian": "ZMB", "zimbabwean": "ZWE", "new zealand": "NZL", "kiwi": "NZL",
}


def _key(text: str) -> str:
    text = fold(text).strip()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(_key(value), country.alpha_3)
                if "," in value:  # "Korea, Republic of" -> also "Korea"
                    table.setdefault(_key(value.split(",")[0]), country.alpha_3)
    for variant, alpha3 in EXTRA_VARIANTS.items():
        table[_key(variant)] = alpha3
    table.pop("korea", None)  # ambiguous between the two Koreas
    return table


def country_code(name: str) -> str | None:
    """ISO alpha-3 of a country written any common way, else None."""
    return _variants().get(_key(name))


def country_name(alpha3: str) -> str:
    if alpha3 in NEWS_NAMES:
        return NEWS_NAMES[alpha3]
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return alpha3
    return getattr(country, "common_name", None) or country.name


def canonical_country(name: str) -> str | None:
    """`Türkiye` -> `Turkey`; None for names that are not countries."""
    code = country_code(name)
    return country_name(code) if code else None


def demonym_key(word: str) -> str | None:
    """`Afghans` and `Afghan` -> `afghan`: one key for a demonym and its plural; None for other words."""
    key = _key(word).rstrip("'’")
    if key in DEMONYMS:
        return key
    return key[:-1] if key.endswith("s") and key[:-1] in DEMONYMS else None


def demonym_country(word: str) -> str | None:
    """`Turkish` -> `Turkey`."""
    code = DEMONYMS.get(_key(word))
    return country_name(code) if code else None
