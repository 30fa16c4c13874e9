"""Word lists the article loader matches against: demonyms, capitals, titles, ministry
words, company suffixes, sector names. Plain data, so that adding a country's demonym or a
sector is a one-line change (countries themselves come from pycountry)."""

from __future__ import annotations

import re
from functools import cache

import pycountry

from graph.ids import normalise

# ISO alpha-3 -> demonyms (adjectives of nationality) as news uses them.
_DEMONYMS = """
USA: American|U.S.|US
JPN: Japanese
KOR: South Korean|Korean
PRK: North Korean
CHN: Chinese
TWN: Taiwanese
IND: Indian
IDN: Indonesian
MYS: Malaysian
THA: Thai
VNM: Vietnamese
PHL: Philippine|Filipino
SGP: Singaporean
AUS: Australian
NZL: New Zealand
CAN: Canadian
MEX: Mexican
BRA: Brazilian
ARG: Argentine|Argentinian
CHL: Chilean
PER: Peruvian
COL: Colombian
GBR: British|UK|U.K.
IRL: Irish
FRA: French
DEU: German
ITA: Italian
ESP: Spanish
PRT: Portuguese
NLD: Dutch
BEL: Belgian
CHE: Swiss
AUT: Austrian
SWE: Swedish
NOR: Norwegian
DNK: Danish
FIN: Finnish
POL: Polish
CZE: Czech
HUN: Hungarian
ROU: Romanian
GRC: Greek
TUR: Turkish
RUS: Russian
UKR: Ukrainian
ISR: Israeli
SAU: Saudi|Saudi Arabian
ARE: Emirati
QAT: Qatari
EGY: Egyptian
ZAF: South African
NGA: Nigerian
KEN: Kenyan
PAK: Pakistani
BGD: Bangladeshi
LKA: Sri Lankan
"""
DEMONYMS: dict[str, str] = {}
for _line in _DEMONYMS.strip().splitlines():
    _code, _names = _line.split(":")
    for _name in _names.split("|"):
        DEMONYMS[_name.strip()] = _code.strip()

# Names news uses for countries that pycountry's official names miss.
COUNTRY_ALIASES = {
    "United States": "USA",
    "United States of America": "USA",
    "U.S.": "USA",
    "US": "USA",
    "U.S.A.": "USA",
    "USA": "USA",
    "America": "USA",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "UK": "GBR",
    "U.K.": "GBR",
    "United Kingdom": "GBR",
    "South Korea": "KOR",
    "Korea": "KOR",
    "Republic of Korea": "KOR",
    "North Korea": "PRK",
    "Russia": "RUS",
    "Taiwan": "TWN",
    "Vietnam": "VNM",
    "Viet Nam": "VNM",
    "Iran": "IRN",
    "Syria": "SYR",
    "Laos": "LAO",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Turkey": "TUR",
    "Turkiye": "TUR",
    "Holland": "NLD",
    "the Netherlands": "NLD",
    "Netherlands": "NLD",
    "the Philippines": "PHL",
    "Philippines": "PHL",
    "UAE": "ARE",
    "United Arab Emirates": "ARE",
    "Ivory Coast": "CIV",
    "Brunei": "BRN",
    "Mainland China": "CHN",
}
# Capitals used as places (and, in news, for their governments).
CAPITALS = {
    "Washington": "USA",
    "Tokyo": "JPN",
    "Seoul": "KOR",
    "Beijing": "CHN",
    "New Delhi": "IND",
    "Delhi": "IND",
    "Jakarta": "IDN",
    "Mexico City": "MEX",
    "Ottawa": "CAN",
    "London": "GBR",
    "Paris": "FRA",
    "Berlin": "DEU",
    "Rome": "ITA",
    "Madrid": "ESP",
    "Canberra": "AUS",
    "Hanoi": "VNM",
    "Bangkok": "THA",
    "Kuala Lumpur": "MYS",
    "Manila": "PHL",
    "Singapore": "SGP",
    "Taipei": "TWN",
    "Brasilia": "BRA",
    "Buenos Aires": "ARG",
    "Riyadh": "SAU",
    "Abu Dhabi": "ARE",
    "Ankara": "TUR",
    "Moscow": "RUS",
    "Kyiv": "UKR",
    "Geneva": "CHE",
    "Bern": "CHE",
    "Osaka": "JPN",
    "Busan": "KOR",
    "Mumbai": "IND",
    "Shanghai": "CHN",
}

# Words that name a ministry's field: "Minister of Economy, Trade and Industry".
DOMAIN_WORDS = set(
    [
        "Affairs",
        "Foreign",
        "Economy",
        "Economic",
        "Economics",
        "Trade",
        "Industry",
        "Industries",
        "Finance",
        "Financial",
        "Commerce",
        "State",
        "Defense",
        "Defence",
        "Energy",
        "Agriculture",
        "Agricultural",
        "Forestry",
        "Fisheries",
        "Food",
        "Land",
        "Infrastructure",
        "Transport",
        "Transportation",
        "Tourism",
        "Health",
        "Labor",
        "Labour",
        "Welfare",
        "Interior",
        "Home",
        "Justice",
        "Education",
        "Science",
        "Technology",
        "Environment",
        "Mines",
        "Mining",
        "Mineral",
        "Minerals",
        "Resources",
        "Investment",
        "Investments",
        "Planning",
        "Development",
        "Treasury",
        "Security",
        "International",
        "Cooperation",
        "Small",
        "Medium",
        "Enterprises",
        "Business",
        "Businesses",
        "Employment",
        "Communications",
        "Information",
        "Digital",
        "Steel",
        "Petroleum",
        "Oil",
        "Gas",
        "Natural",
        "Coordinating",
        "Maritime",
        "Strategy",
        "Innovation",
        "Revitalization",
        "Budget",
        "Public",
        "Works",
        "SMEs",
        "Competitiveness",
        "Policy",
        "Commercial",
        "Industrial",
        "Relations",
        "Exterior",
        "External",
        "Customs",
        "Revenue",
        "Taxation",
        "Economy",
        "Manufacturing",
        "Supply",
        "Ports",
        "Shipping",
        "Housing",
        "Urban",
        "Rural",
        "Water",
        "Climate",
        "Green",
        "Growth",
        "Culture",
        "Sports",
        "Youth",
        "Women",
        "Family",
        "Social",
        "Legal",
        "Intelligence",
        "Homeland",
        "Veterans",
        "Internal",
        "Regional",
        "Federal",
        "National",
        "Cabinet",
        "Mission",
    ]
)

# Heads of a person's title, capitalised as before a name.
TITLE_HEADS = [
    "Prime Minister",
    "Deputy Prime Minister",
    "Vice President",
    "President",
    "Premier",
    "Chancellor",
    "Minister",
    "Secretary",
    "Trade Representative",
    "Representative",
    "Ambassador",
    "Commissioner",
    "Governor",
    "Senator",
    "Chairman",
    "Chairwoman",
    "Chairperson",
    "Chair",
    "Chief Executive Officer",
    "Chief Executive",
    "CEO",
    "Director-General",
    "Director General",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Chief Negotiator",
    "Negotiator",
    "Envoy",
    "King",
    "Queen",
    "Emperor",
    "Crown Prince",
    "Mayor",
    "Speaker",
    "Founder",
    "Leader",
    "Chief Cabinet Secretary",
    "Cabinet Secretary",
    "Sen.",
    "Rep.",
    "Gov.",
]
# The same, lowercase, as in "Japan's economy minister Ryosei Akazawa" or "Son, chief executive of".
LOWER_TITLE_HEADS = [
    "prime minister",
    "deputy prime minister",
    "vice president",
    "president",
    "minister",
    "secretary",
    "trade representative",
    "ambassador",
    "commissioner",
    "governor",
    "chairman",
    "chairwoman",
    "chair",
    "chief executive officer",
    "chief executive",
    "ceo",
    "director-general",
    "director general",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief negotiator",
    "negotiator",
    "envoy",
    "premier",
    "chancellor",
    "founder",
    "head",
]
# Titles that belong to a company rather than a government.
CORPORATE_TITLES = {
    "ceo",
    "chief executive",
    "chief executive officer",
    "chairman",
    "chairwoman",
    "chair",
    "founder",
    "chairperson",
    "president and ceo",
}

# Legal-form suffixes: strong evidence that a capitalised name is a company.
STRONG_COMPANY_SUFFIXES = [
    "Group",
    "Corp.",
    "Corp",
    "Corporation",
    "Inc.",
    "Inc",
    "Holdings",
    "Co., Ltd.",
    "Co.",
    "Ltd.",
    "Ltd",
    "Limited",
    "LLC",
    "L.L.C.",
    "plc",
    "PLC",
    "AG",
    "SE",
    "S.A.",
    "SA",
    "N.V.",
    "NV",
    "GmbH",
    "Tbk",
    "Berhad",
    "Bhd",
    "Pte",
    "K.K.",
    "Company",
]
# Industry words that end many company names ("Toyota Motor", "Nippon Steel").
WEAK_COMPANY_SUFFIXES = [
    "Motor",
    "Motors",
    "Steel",
    "Electric",
    "Electronics",
    "Industries",
    "Heavy Industries",
    "Petroleum",
    "Chemical",
    "Chemicals",
    "Airlines",
    "Mining",
    "Semiconductor",
    "Technologies",
    "Technology",
    "Energy",
    "Shipbuilding",
    "Ocean",
    "Materials",
    "Metals",
    "Nickel",
    "Oil",
    "Gas",
    "Pharmaceuticals",
    "Automotive",
    "Solutions",
    "Systems",
    "Capital",
    "Partners",
    "Bank",
    "Resources",
    "Power",
    "Aerospace",
]
COMPANY_NOUNS = (
    r"companies|company|firms|firm|groups|corporations|businesses|conglomerates|conglomerate|automakers|automaker|"
    r"carmakers|carmaker|chipmakers|chipmaker|manufacturers|manufacturer|makers|maker|producers|producer|miners|"
    r"miner|steelmakers|steelmaker|shipbuilders|shipbuilder|investors|investor|operators|operator|utilities|utility|"
    r"giants|giant|lenders|lender|developers|developer|suppliers|supplier|exporters|exporter|refiners|refiner|"
    r"partners|partner|airline|carrier|shipbuilders|shipbuilder|steelmakers|steelmaker"
)

# Bodies: heads of organisation names and their kind.
ORG_HEADS = {
    "Ministry": "ministry",
    "Department": "department",
    "Office": "agency",
    "Bureau": "agency",
    "Agency": "agency",
    "Commission": "agency",
    "Council": "other",
    "Administration": "agency",
    "Authority": "agency",
    "Board": "agency",
    "Secretariat": "agency",
    "Service": "agency",
    "Parliament": "legislature",
    "Congress": "legislature",
    "Senate": "legislature",
    "Assembly": "legislature",
    "Diet": "legislature",
    "Cabinet": "executive",
    "Government": "executive",
    "Treasury": "department",
}
LEGISLATURES = [
    "House of Representatives",
    "House of Councillors",
    "House of Commons",
    "House of Lords",
    "Senate",
    "Congress",
    "Parliament",
    "National Assembly",
    "European Parliament",
    "Diet",
    "Lok Sabha",
    "Rajya Sabha",
    "Bundestag",
    "National People's Congress",
    "Federal Assembly",
]
KNOWN_ORGS = {
    "European Union": ("other", None),
    "Brussels": ("other", None),
    "EU": ("other", None),
    "European Commission": ("agency", None),
    "World Trade Organization": ("other", None),
    "WTO": ("other", None),
    "White House": ("executive", "USA"),
    "Federal Reserve": ("agency", "USA"),
    "Bank of Japan": ("agency", "JPN"),
    "Bank of Korea": ("agency", "KOR"),
    "USTR": ("agency", "USA"),
    "METI": ("ministry", "JPN"),
    "MOTIE": ("ministry", "KOR"),
    "Commerce Department": ("department", "USA"),
    "Treasury Department": ("department", "USA"),
    "State Department": ("department", "USA"),
    "Kremlin": ("executive", "RUS"),
    "Elysee": ("executive", "FRA"),
}
# Unions of countries that sign trade deals as one party.
UNIONS = {"European Union", "EU", "Brussels", "ASEAN", "Mercosur", "European Free Trade Association", "EFTA"}
# Abbreviations of bodies -> the full name used as the entity's name.
ORG_ABBREVIATIONS = {
    "EU": "European Union",
    "Brussels": "European Union",
    "WTO": "World Trade Organization",
    "METI": "Ministry of Economy, Trade and Industry",
}

# Sectors: surface forms (lowercase, singular or plural) -> canonical sector name.
_SECTORS = """
Energy: energy
Artificial intelligence: artificial intelligence|ai
Critical minerals: critical minerals|critical mineral|rare earths|rare earth|rare-earth minerals
Semiconductors: semiconductors|semiconductor|chips|chipmaking|chip
Automobiles: automobiles|automobile|autos|auto|cars|car|automotive|vehicles|automobile manufacturing|passenger vehicles
Electric vehicles: electric vehicles|electric vehicle|evs|ev
Agricultural products: agricultural products|agricultural goods|agriculture|farm products|farm goods
Rice: rice
Beef: beef
Pork: pork
Dairy: dairy
Steel: steel
Aluminum: aluminum|aluminium
Copper: copper
Nickel: nickel|nickel ore|nickel processing
Lithium: lithium
Batteries: batteries|battery|battery materials
Pharmaceuticals: pharmaceuticals|pharmaceutical|drugs|medicines|pharma
Shipbuilding: shipbuilding|ships|shipyards
Liquefied natural gas: liquefied natural gas|lng
Natural gas: natural gas|gas
Crude oil: crude oil|crude|oil
Data centers: data centers|data center|data centres|data centre
Synthetic diamonds: synthetic diamonds|synthetic diamond|lab-grown diamonds
Nuclear power: nuclear power|nuclear energy|nuclear reactors|nuclear
Aircraft: aircraft|aerospace|airplanes|jets|jetliners|planes
Textiles: textiles|textile|garments|apparel
Whisky: whisky|whiskey|scotch whisky|scotch
Spirits: spirits|liquor
Wine: wine|wines
Medical devices: medical devices|medical equipment
Footwear: footwear|shoes
Machinery: machinery|industrial machinery
Electronics: electronics|consumer electronics
Lumber: lumber|timber
Seafood: seafood|fish
Services: services
Financial services: financial services
Digital trade: digital trade|digital services
Infrastructure: infrastructure
Shipping: shipping
Mining: mining
Solar: solar|solar panels
Coal: coal
"""
SECTORS: dict[str, str] = {}
for _line in _SECTORS.strip().splitlines():
    _canon, _forms = _line.split(":")
    for _form in _forms.split("|"):
        SECTORS[_form.strip()] = _canon.strip()
# Forms that are sectors only inside a longer phrase, never alone (too ambiguous).
WEAK_SECTOR_FORMS = {
    "wine",
    "wines",
    "shoes",
    "jets",
    "planes",
    "scotch",
    "liquor",
    "gas",
    "crude",
    "oil",
    "car",
    "auto",
    "chip",
    "ai",
    "ev",
    "evs",
    "nuclear",
    "services",
    "infrastructure",
    "shipping",
    "mining",
    "fish",
    "drugs",
    "ships",
    "spirits",
    "vehicles",
    "coal",
    "solar",
    "copper",
    "dairy",
    "pork",
    "beef",
    "rice",
    "lithium",
    "steel",
}
MASS_NOUNS = {
    "energy",
    "oil",
    "gas",
    "steel",
    "intelligence",
    "infrastructure",
    "rice",
    "beef",
    "pork",
    "dairy",
    "aluminum",
    "aluminium",
    "copper",
    "nickel",
    "lithium",
    "shipbuilding",
    "mining",
    "shipping",
    "coal",
    "lumber",
    "timber",
    "seafood",
    "machinery",
    "aircraft",
    "whisky",
    "software",
    "power",
    "hydrogen",
    "cement",
    "agriculture",
    "equipment",
    "manufacturing",
    "processing",
    "storage",
}

# Project heads: a described noun phrase ending in one of these is a project.
PROJECT_HEADS = [
    "project",
    "initiative",
    "terminal",
    "plant",
    "facility",
    "factory",
    "mine",
    "smelter",
    "refinery",
    "pipeline",
    "port",
    "hub",
    "complex",
    "shipyard",
    "gigafactory",
    "campus",
    "park",
    "reactor",
    "reactors",
    "railway",
    "corridor",
]
# Words that describe a project without telling what it is.
GENERIC_MODIFIERS = {
    "potential",
    "similar",
    "such",
    "key",
    "new",
    "major",
    "final",
    "first",
    "second",
    "third",
    "large",
    "large-scale",
    "other",
    "several",
    "these",
    "those",
    "this",
    "that",
    "its",
    "their",
    "his",
    "her",
    "our",
    "joint",
    "big",
    "huge",
    "flagship",
    "proposed",
    "planned",
    "pilot",
    "latest",
    "same",
    "each",
    "every",
    "any",
    "one",
    "two",
    "three",
    "four",
    "five",
    "a",
    "an",
    "the",
    "specific",
    "various",
    "related",
    "single",
    "own",
    "ambitious",
    "multibillion-dollar",
    "billion-dollar",
    "massive",
    "initial",
    "separate",
    "additional",
    "future",
    "existing",
    "current",
    "previous",
    "announced",
    "selected",
    "approved",
    "government",
    "investment",
}
# Location and scale adjectives dropped when a project's sector is read from its name.
PLACE_MODIFIERS = {
    "cooperation",
    "partnership",
    "venture",
    "joint",
    "fired",
    "based",
    "scale",
    "deepwater",
    "offshore",
    "onshore",
    "coastal",
    "inland",
    "domestic",
    "overseas",
    "export",
    "import",
    "greenfield",
    "brownfield",
    "integrated",
    "downstream",
    "upstream",
    "processing",
    "production",
    "manufacturing",
    "infrastructure",
    "construction",
    "development",
    "expansion",
    "storage",
    "exploration",
    "research",
    "investment",
    "capacity",
}

INVESTMENT_VEHICLE_HEADS = [
    "investment vehicle",
    "investment fund",
    "sovereign wealth fund",
    "investment facility",
    "investment mechanism",
    "investment platform",
    "fund",
    "vehicle",
    "facility",
]
AGREEMENT_HEADS = {
    "free trade agreement": "trade_agreement",
    "trade agreement": "trade_agreement",
    "trade deal": "trade_agreement",
    "trade pact": "trade_agreement",
    "trade accord": "trade_agreement",
    "trade framework": "framework",
    "framework agreement": "framework",
    "framework deal": "framework",
    "framework": "framework",
    "memorandum of understanding": "mou",
    "mou": "mou",
    "executive order": "executive_order",
    "agreement": "trade_agreement",
    "deal": "trade_agreement",
    "pact": "trade_agreement",
    "accord": "trade_agreement",
    "fta": "trade_agreement",
    "partnership agreement": "trade_agreement",
    "tariff deal": "trade_agreement",
    "tariff agreement": "trade_agreement",
    "investment agreement": "trade_agreement",
}

# Capitalised words that are never (part of) a person's name.
NOT_NAMES = set(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "And",
        "But",
        "Or",
        "If",
        "As",
        "By",
        "To",
        "From",
        "With",
        "Under",
        "After",
        "Before",
        "During",
        "Since",
        "Until",
        "Last",
        "Next",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Ministry",
        "Department",
        "Office",
        "Group",
        "Corp",
        "Inc",
        "House",
        "Senate",
        "Congress",
        "Parliament",
        "Government",
        "Minister",
        "Secretary",
        "President",
        "Prime",
        "Trade",
        "Commerce",
        "Economy",
        "Industry",
        "Finance",
        "Foreign",
        "Affairs",
        "State",
        "White",
        "Bank",
        "Fund",
        "Council",
        "Commission",
        "Agency",
        "Board",
        "Reuters",
        "Bloomberg",
        "According",
        "Yesterday",
        "Today",
        "Tomorrow",
        "Meanwhile",
        "However",
        "While",
        "Both",
        "Japanese",
        "American",
        "Chinese",
        "Korean",
        "European",
        "Also",
        "Still",
        "Even",
        "Only",
        "Such",
        "Some",
        "Many",
        "Most",
        "More",
        "Several",
        "Sources",
        "Officials",
        "Analysts",
        "Industry",
        "Representative",
        "Representatives",
        "Diet",
        "Cabinet",
        "Deputy",
        "Vice",
        "Chief",
        "Administration",
        "Republic",
        "Kingdom",
        "United",
        "States",
        "Union",
        "Federal",
        "National",
        "Treasury",
        "North",
        "South",
        "East",
        "West",
        "Gulf",
        "Asia",
        "Europe",
        "Africa",
        "Pacific",
        "Atlantic",
        "Social",
        "Media",
        "Earlier",
        "Later",
        "Then",
        "Now",
        "Why",
        "What",
        "When",
        "Where",
        "How",
        "Who",
        "Which",
        "There",
        "Here",
        "Thus",
        "Hence",
        "Therefore",
        "Despite",
        "Although",
        "Because",
        "Through",
        "Against",
        "Between",
        "Among",
        "Within",
        "Without",
    ]
)


@cache
def country_index() -> dict[str, str]:
    """Normalised country name or short form -> ISO alpha-3, from pycountry and the aliases above."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name:
                index.setdefault(normalise(name), country.alpha_3)
    for name, code in COUNTRY_ALIASES.items():
        index[normalise(name)] = code
    return index


@cache
def country_name(iso3: str) -> str:
    """A display name for a country code: the common name news uses.

    >>> country_name("USA"), country_name("KOR"), country_name("GBR")
    ('United States', 'South Korea', 'United Kingdom')
    """
    preferred = {
        "USA": "United States",
        "KOR": "South Korea",
        "PRK": "North Korea",
        "GBR": "United Kingdom",
        "RUS": "Russia",
        "TWN": "Taiwan",
        "VNM": "Vietnam",
        "IRN": "Iran",
        "TUR": "Turkey",
        "CZE": "Czech Republic",
        "LAO": "Laos",
        "SYR": "Syria",
        "BOL": "Bolivia",
        "VEN": "Venezuela",
        "TZA": "Tanzania",
        "MDA": "Moldova",
    }
    if iso3 in preferred:
        return preferred[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return getattr(country, "common_name", None) or country.name


def sector_name(surface: str) -> str | None:
    """The canonical sector for a surface form, or None.

    >>> sector_name("semiconductor applications"), sector_name("Data Centers"), sector_name("rice")
    (None, 'Data centers', 'Rice')
    """
    return SECTORS.get(surface.lower().strip())


def pluralise_sector(words: list[str]) -> str:
    """A sector name from a project's descriptive words: 'synthetic diamond' -> 'Synthetic diamonds'.

    >>> pluralise_sector(["crude", "oil"]), pluralise_sector(["data", "center"])
    ('Crude oil', 'Data centers')
    """
    phrase = " ".join(words)
    known = sector_name(phrase)
    if known:
        return known
    last = words[-1]
    if last not in MASS_NOUNS and not last.endswith(("s", "ing")):
        words = [*words[:-1], last + "s"]
    text = " ".join(words)
    return text[0].upper() + text[1:]


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


_COMMON_PLACE_WORDS = set(
    [
        "gulf",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "north",
        "south",
        "east",
        "west",
        "capital",
        "coast",
        "coastal",
        "island",
        "islands",
        "lakes",
        "lake",
        "mountain",
        "mountains",
        "plateau",
        "upper",
        "lower",
        "greater",
        "federal",
        "national",
        "river",
        "rivers",
        "valley",
        "delta",
        "highlands",
        "border",
        "borders",
        "interior",
        "littoral",
        "maritime",
        "savanes",
        "plains",
        "centre",
        "center",
        "middle",
        "city",
        "district",
        "region",
    ]
)


@cache
def place_index() -> dict[str, str]:
    """Normalised names of places inside countries (states, provinces, regions from ISO 3166-2,
    capitals, the UK's nations) -> ISO alpha-3. Names that are also countries are left out."""
    index: dict[str, str] = {}
    countries = country_index()
    ambiguous: set[str] = set()
    for sub in pycountry.subdivisions:
        key = normalise(sub.name)
        if not key or key in countries or key in _COMMON_PLACE_WORDS or sub.name in NOT_NAMES:
            continue
        code = pycountry.countries.get(alpha_2=sub.country_code)
        if code is None:
            continue
        if key in index and index[key] != code.alpha_3:
            ambiguous.add(key)
        index[key] = code.alpha_3
    for key in ambiguous:
        index.pop(key, None)
    for name, code in {
        **CAPITALS,
        "Scotland": "GBR",
        "England": "GBR",
        "Wales": "GBR",
        "Northern Ireland": "GBR",
        "Sulawesi": "IDN",
        "Java": "IDN",
        "Sumatra": "IDN",
        "Borneo": "IDN",
        "Kalimantan": "IDN",
    }.items():
        index[normalise(name)] = code
    return index


def place_country(text: str) -> str | None:
    """The country a place name lies in, or None.

    >>> place_country("Ohio"), place_country("Nuevo Leon"), place_country("Washington"), place_country("Gulf")
    ('USA', 'MEX', 'USA', None)
    """
    return place_index().get(normalise(text))


# Korean and Chinese family names, which English-language news writes first ("Lee Jae-myung").
FAMILY_NAME_FIRST = set(
    [
        "Kim",
        "Lee",
        "Park",
        "Choi",
        "Jung",
        "Jeong",
        "Kang",
        "Cho",
        "Yoon",
        "Jang",
        "Lim",
        "Han",
        "Oh",
        "Seo",
        "Shin",
        "Kwon",
        "Hwang",
        "Ahn",
        "Song",
        "Yoo",
        "Hong",
        "Jeon",
        "Ko",
        "Moon",
        "Yang",
        "Son",
        "Bae",
        "Baek",
        "Heo",
        "Nam",
        "Shim",
        "Noh",
        "Ha",
        "Kwak",
        "Sung",
        "Cha",
        "Joo",
        "Woo",
        "Koo",
        "Min",
        "Ryu",
        "Na",
        "Jin",
        "Ji",
        "Yeo",
        "Eom",
        "Chae",
        "Won",
        "Chun",
        "Bang",
        "Xi",
        "Li",
        "Wang",
        "Zhang",
        "Liu",
        "Chen",
        "Yang",
        "Huang",
        "Zhao",
        "Wu",
        "Zhou",
        "Xu",
        "Sun",
        "Ma",
        "Zhu",
        "Hu",
        "Guo",
        "He",
        "Lin",
        "Luo",
        "Gao",
        "Zheng",
        "Liang",
        "Xie",
        "Song",
        "Tang",
        "Han",
        "Feng",
        "Deng",
        "Cao",
        "Peng",
        "Zeng",
        "Xiao",
        "Tian",
        "Dong",
        "Pan",
        "Yuan",
        "Cai",
        "Jiang",
        "Yu",
        "Du",
        "Ye",
        "Cheng",
        "Wei",
        "Su",
        "Lu",
        "Ding",
        "Ren",
        "Shen",
        "Yao",
    ]
)


def family_name(name: str) -> str:
    """The family name: the last word, except for Korean and Chinese names written family name first.

    >>> family_name("Akira Akazawa"), family_name("Lee Jae-myung"), family_name("Xi Jinping")
    ('Akazawa', 'Lee', 'Xi')
    """
    words = name.split()
    if len(words) == 2 and words[0] in FAMILY_NAME_FIRST:
        return words[0]
    return words[-1] if words else name


# Nouns for companies that name their industry ("steelmaker Nippon Steel").
COMPANY_NOUN_SECTORS = {
    "steelmaker": "Steel",
    "automaker": "Automobiles",
    "carmaker": "Automobiles",
    "chipmaker": "Semiconductors",
    "shipbuilder": "Shipbuilding",
    "planemaker": "Aircraft",
    "aircraft maker": "Aircraft",
    "drugmaker": "Pharmaceuticals",
    "battery maker": "Batteries",
    "batterymaker": "Batteries",
    "miner": "Mining",
    "oil producer": "Crude oil",
    "refiner": "Crude oil",
}
