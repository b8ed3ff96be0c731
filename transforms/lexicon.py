"""Word lists and patterns shared by the stages: general knowledge of news pages and news language, not of
any article.

Kept in one module so they can be reviewed (and extended) in one place.
"""

from __future__ import annotations

import re

# English function words (a compact jusText-style list): their density separates prose from page chrome.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says told according since amid despite however
""".split())

# Words of page furniture: sharing them with the article does not make a line a headline.
CHROME_WORDS = frozenset("""
news today paper live breaking watch video videos read more latest update updates updated home world
sport sports weather login account menu search subscribe share edition international trending popular top
stories story photos gallery listen article minute min podcast newsletter opinion section sections
gift bookmark save saved print comment comments reply email register free sign log close text size
""".split())

# Headline labels that look like an all-caps dateline ("BREAKING NEWS -", "REPORT:") but name no place.
HEADLINE_LABELS = frozenset("""
breaking news update updated exclusive watch live report analysis opinion editorial video photos photo
alert urgent flash developing just in special interview review explainer factbox timeline
""".split())

# Wire agencies: every way they are written -> the short form stored in `articles.agency`.
AGENCIES: dict[str, str] = {
    "ap": "AP", "associated press": "AP", "the associated press": "AP",
    "reuters": "Reuters", "thomson reuters": "Reuters",
    "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
    "dpa": "dpa", "deutsche presse-agentur": "dpa",
    "upi": "UPI", "united press international": "UPI",
    "ani": "ANI", "asian news international": "ANI",
    "pti": "PTI", "press trust of india": "PTI",
    "ians": "IANS", "xinhua": "Xinhua", "tass": "TASS", "efe": "EFE", "ansa": "ANSA",
    "kyodo": "Kyodo", "kyodo news": "Kyodo", "yonhap": "Yonhap", "anadolu": "Anadolu",
    "anadolu agency": "Anadolu", "aa": "Anadolu", "app": "APP", "associated press of pakistan": "APP",
    "bloomberg": "Bloomberg", "cnn": "CNN", "bernama": "Bernama", "wam": "WAM", "spa": "SPA",
    "irna": "IRNA", "qna": "QNA", "bna": "BNA", "kuna": "KUNA", "mena": "MENA", "pa": "PA",
    "pa media": "PA", "aap": "AAP", "cp": "CP", "the canadian press": "CP", "canadian press": "CP",
}
# Full names of the agencies whose short form is an acronym (used as entity canonical names).
AGENCY_FULL_NAMES: dict[str, str] = {
    "AP": "Associated Press", "AFP": "Agence France-Presse", "UPI": "United Press International",
    "ANI": "Asian News International", "PTI": "Press Trust of India", "APP": "Associated Press of Pakistan",
    "dpa": "Deutsche Presse-Agentur", "CP": "The Canadian Press",
}

_WEATHER_WORDS = (
    r"(?:mostly |partly |scattered |isolated |light |heavy )?(?:cloudy|sunny|clear|fair|overcast|rain|rainy|"
    r"showers?|snow|snowy|sleet|fog|foggy|mist|haze|hazy|drizzle|windy|breezy|thunderstorms?|storms?|"
    r"hail|humid|smoke|dust)"
)

# (reason, pattern) pairs matched against a whole stripped line (case-insensitive). Order matters:
# the first match names the reason.
LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("separator", r"^[\W_]+$"),
        ("url", r"^(?:https?://|www\.)\S*$"),
        ("navigation", r"^(?:skip (?:to|navigation)|jump to)\b.{0,40}$"),
        ("navigation", r"^(?:menu|home|search|sign in|log ?in|sign up|register|subscribe now|close|back to top|"
                       r"main menu|toggle navigation|open menu|more|next|previous|prev|page \d+( of \d+)?)$"),
        ("weather", r"^" + _WEATHER_WORDS + r"(?: and " + _WEATHER_WORDS + r")?$"),
        ("weather", r"^-?\d{1,3}(?:[.,]\d)?\s*°\s*[FC]?$"),
        # A weather widget: the word alone, or before a separator or a widget word ("Full Weather | Traffic",
        # "Today's weather: Light rain"); never a sentence it begins ("Weather delayed the first ferry").
        ("weather", r"^(?:full |local |today['’]?s |current |\d{1,2}-day |extended )?(?:weather|forecast)"
                    r"(?:\s*[:|•·/–—-].{0,60}|\s+(?:forecast|radar|map|alerts?|report|(?:and|&) traffic)\b.{0,40})?$"),
        ("sponsored", r"^(?:sponsored|presented|powered|brought to you)(?: by)?\b.{0,60}$"),
        ("sponsored", r"^(?:advertisement|advertising|ad|promoted(?: content| stories| links)?|"
                      r"paid (?:partner )?(?:content|post)|paid partner|"
                      r"partner content|sponsored content|(?:story|article) continues (?:below|after)"
                      r"(?: (?:this|the))?(?: ad| advertisement)?)\W*$"),
        ("sponsored", r"^(?:advertisement|ad)\s*[·|:–—-]\s*(?:scroll|continue)[\w ]{0,40}$"),
        ("timestamp", r"^(?:(?:published|updated|posted|last updated):?\s*)?(?:\d+|an?|one)\s+"
                      r"(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?)\s+ago$"),
        ("reading_time", r"^(?:estimated )?(?:reading|read) time\W*(?:\d+|one|two|three|four|five)\s*"
                         r"(?:min(?:ute)?s?)\W*$|^\d+\s*-?\s*min(?:ute)?s?\s+read$"),
        ("social", r"^(?:share|tweet|email|print|copy link|pin|whatsapp|facebook|twitter|x|linkedin|reddit|"
                   r"telegram)(?:\W+(?:share|tweet|email|print|copy link|pin|whatsapp|facebook|twitter|x|"
                   r"linkedin|reddit|telegram))*\W*$"),
        ("social", r"^(?:share (?:this|on|via)|follow us|like us on|join (?:us|our) on|click here|tap here|"
                   r"read more|see also|related(?: articles| stories| coverage| news)?|more from|recommended|"
                   r"you (?:may|might) also (?:like|enjoy)|editor'?s'? (?:picks|choice)|"
                   r"most (?:read|popular|viewed)|trending)\b.{0,80}$"),
        ("social", r"^(?:watch|video|listen|photos?|gallery|podcast|(?:also )?read(?: also)?|(?:also )?see|explore|"
                   r"discover)\s*:\s*.{0,100}$"),
        ("newsletter", r"^(?:sign up|subscribe)\b.{0,100}(?:newsletter|inbox|alerts?|updates)\b.{0,40}$"),
        ("newsletter", r"^(?:get|receive)\b[^.]{0,80}\b(?:newsletters?|alerts?|updates)\b[^.]{0,20}\b"
                       r"(?:inbox|email|phone)\W*$"),
        ("cookie", r"^.{0,80}\b(?:we use cookies|(?:site|website|page) uses cookies|accept (?:all )?cookies|"
                   r"cookie (?:policy|settings|preferences|consent|notice)|privacy (?:policy|settings)|"
                   r"terms (?:of|and) (?:use|service|conditions))\b.{0,160}$"),
        ("comments", r"^(?:comments? (?:are|is) (?:closed|disabled|off)|(?:leave|post|add|write) a comment|"
                     r"(?:view|show|hide|read|load) (?:all )?(?:\d+ )?comments|\d+ comments?|"
                     r"join the (?:discussion|conversation))\W*$"),
        ("tags", r"^(?:tags?|topics?|filed under|categor(?:y|ies)|keywords|more on)\s*:\s*[^.!?]{0,120}$"),
        ("navigation", r"^(?:start|begin|try)(?: your)?(?: free)? (?:trial|subscription)\W*$|^subscriber log ?in$"),
        ("navigation", r"^(?:(?:add|save) to|remove from) (?:my )?(?:reading list|favou?rites|bookmarks|saved|list)$|"
                       r"^(?:open|read|continue) in (?:the )?app$|^(?:download|get) (?:the|our) app$|^follow$"),
        # A copyright notice: a © sign, or "Copyright" before a sign, a year, or only names and the usual words
        # ("Copyright Harbour Media Ltd. All rights reserved."); never a sentence ("Copyright lawyers said ...").
        ("copyright", r"^(?:©|ⓒ|\(c\)|copyright\s*(?:©|ⓒ|\(c\)|(?:1[89]|20)\d\d\b)).{0,160}$"),
        ("copyright", r"^copyright(?:\s+(?:(?-i:[A-Z0-9])\S*|[^\w\s]+|all|rights|reserved|by|of|the|and))*\.?$"),
        ("copyright", r"^.{0,200}\s[|/]\s*(?:©|ⓒ|\(c\)|copyright\b)\s*[\w .&'’-]{1,40}$"),
        ("sponsored", r"^.{0,60}\b(?:contains|may contain|includes) (?:references to products|affiliate links?|"
                      r"sponsored (?:links|content)|paid (?:links|promotions?))\b.{0,400}$"),
        ("sponsored", r"^.{0,200}\bwe (?:may )?(?:receive|earn|get|be paid) (?:a )?(?:compensation|commissions?|"
                      r"a share of (?:sales|revenue))\b.{0,300}$"),
        ("newsletter", r"^(?:do you want|would you like|want) to (?:be informed|stay (?:informed|up to date)|receive|"
                       r"get|hear)\b.{0,100}\b(?:sign up|subscribe|register|join)\b.{0,20}$"),
        ("copyright", r"^all rights reserved\.?$"),
        ("donation", r"^[|\W]*(?:we need your (?:help|support)|(?:please )?(?:help|support) us\b|(?:please )?donate\b|"
                     r"become a (?:member|supporter|patron)\b)(?=.*\b(?:donat\w*|contribut\w*|support\w*|"
                     r"patron|members?(?:hip)?)\b).{0,240}$"),
    )
)

# Headers that open a block of links to other stories at the end of a page.
RELATED_HEADER = re.compile(
    r"^(?:you (?:may|might|could) (?:also )?(?:like|enjoy|be interested in)|(?:also|further) read(?:ing)?|"
    r"read (?:more|next|also)|more (?:from|on|about|stories|news|to read|like this)|related(?: \w+)?|"
    r"recommended(?: \w+)?|(?:most|more) (?:read|popular|viewed|shared)|what to read next|up next|"
    r"don'?t miss|trending(?: now)?|popular (?:now|stories))\b[^.!?]{0,60}[.:…]*$",
    re.IGNORECASE,
)

# Salutations and sign-offs addressed to readers (any language commonly seen in English-language news).
GREETING_START = re.compile(
    r"^(?:as-?salaa?mu?[ -]?(?:'?alaikum|alaykum|alaikom)|salaam|salam|greetings|hello|hi|hey|"
    r"good (?:morning|afternoon|evening|day)|dear (?:readers?|friends|viewers|listeners|all)|namaste|shalom|"
    r"welcome (?:back )?to|bismillah\w*)\b",
    re.IGNORECASE,
)
READER_ADDRESS = re.compile(
    r"\b(?:brothers and sisters|sisters and brothers|ladies and gentlemen|dear readers?|readers|viewers|"
    r"listeners|everyone|everybody|friends|folks|all of you|you all)\b",
    re.IGNORECASE,
)
SIGN_OFF = re.compile(
    r"^(?:may (?:god|allah|the almighty|heaven|the lord)\b|(?:god|allah) (?:bless|willing|hafiz)|"
    r"(?:allah|khuda) hafiz|insha'?allah\b|ameen\b|amen\b|jazak ?allah|"
    r"(?:thank you|thanks) (?:for|so much for) (?:reading|watching|listening|your attention)|"
    r"stay (?:tuned|safe|blessed|informed)|until next time|see you (?:next time|soon|tomorrow)|"
    r"take care(?:,? (?:all|everyone|everybody|friends))?\W*$|"
    r"(?:have|enjoy) (?:a|your|the) (?:great|good|nice|wonderful|lovely|safe|happy)? ?"
    r"(?:day|weekend|week|evening|night|holiday|holidays)\b[^.!?]{0,25}[.!]*$|"
    r"(?:please )?(?:like,? |do )?(?:share|subscribe|comment)\b.{0,40}(?:channel|page|post|article|friends)?)",
    re.IGNORECASE,
)

# A label that makes the date after it a last-update stamp, not a publication date ("Last updated: 13 July
# 2020", "This page was last modified on ...", "Zuletzt aktualisiert am ...").
LAST_UPDATE_LABEL = re.compile(
    r"\b(?:last[ -](?:updated|modified|edited|changed|revised|reviewed)|(?:page|article|post) (?:was )?"
    r"(?:last )?(?:updated|modified|edited)|zuletzt (?:aktualisiert|geändert|bearbeitet)|"
    r"dernière mise à jour|última (?:actualización|modificación))\b",
    re.IGNORECASE,
)

CREDIT_SENTENCE = re.compile(
    r"(?:\bcontributed (?:to )?(?:this |the )?(?:report|story|article)|\bcontributed reporting\b|"
    r"^(?:additional )?reporting by\b|^(?:writing|editing|edited|compiled|translated|produced) by\b|"
    r"^\(?(?:reporting|writing|editing) by\b|^[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3} reported (?:from|this)\b)",
    re.IGNORECASE,
)
# Words of a newsroom job title that can follow a byline name ("By X, Staff Reporter").
BYLINE_ROLE_WORDS = frozenset("""
staff reporter reporters writer writers correspondent correspondents editor editors contributor contributing
columnist journalist senior chief political business foreign special bureau producer photographer analyst desk
news team our the of and for at international diplomatic defence defense health science technology economics
economy sports sport investigations investigative data digital deputy associate managing national world local
regional affairs security legal arts culture entertainment fashion travel video audio multimedia online web
""".split())
BYLINE_ROLE_HEADS = frozenset("""
reporter reporters writer writers correspondent correspondents editor editors contributor columnist journalist
producer photographer analyst desk staff team bureau
""".split())
BYLINE = re.compile(r"^(?:(?:written|story|words|reported|text|posted)\s+)?by[:\s]\s*(?P<names>[^\n]{2,200})$",
                    re.IGNORECASE)

# --- entities -------------------------------------------------------------------------------------------

# Honorifics, ranks and office words that precede or describe a person's name but are not part of it.
TITLE_WORDS = frozenset("""
mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame lord lady sheikh sheik imam mullah maulana mufti qari
hafiz haji hajji rev rev. father pope king queen prince princess emir amir sultan ayatollah
gen gen. general lt lt. lieutenant col col. colonel maj maj. major capt capt. captain brig brig. brigadier
adm adm. admiral marshal field cmdr cmdr. commander sgt sgt. sergeant cpl corporal pvt private
president vice prime minister deputy secretary chief director spokesman spokeswoman spokesperson
ambassador envoy governor senator sen. sen rep. rep representative mayor chairman chairwoman chair
premier chancellor foreign defense defence interior information finance army staff dg director-general
justice judge attorney advisor adviser national security intelligence head leader commissioner
inspector minister-designate state federal provincial former acting interim caretaker senior top
special general's trooper gm rt rt. hon hon. speaker sheriff detective
actor actress comedian singer rapper musician filmmaker novelist coach
""".split())
# Words that make a phrase an office/role ("defense minister", "government spokesman").
ROLE_HEADS = frozenset("""
minister president spokesman spokeswoman spokesperson secretary chief director ambassador envoy governor
senator mayor chairman chairwoman chair premier chancellor commander general adviser advisor leader head
king queen prince emir sultan judge attorney commissioner official officer negotiator mediator
""".split())
# Words that are never entity names on their own (clutter, months, weekdays, generic nouns spaCy tags).
NOT_ENTITIES = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december today yesterday tomorrow sponsored weather cloudy sunny
government ministry minister army military police defense defence interior foreign
""".split())

# Common nouns for an organisation or place that an article capitalises when it stands alone ("the Bank",
# "Bank personnel", "the Ministry said"): within the article it is the organisation named in full nearby, but
# across articles it names nothing, so it never links two articles' entities (`strong_keys`).
GENERIC_NAME_HEADS = frozenset("""
bank company firm group agency ministry department office police court council committee commission board
union party government army navy club team school university college hospital church station airport
port city town village county state province district region embassy parliament senate assembly
authority institute foundation fund association society centre center museum league federation
corporation newspaper network prison jail mosque temple cathedral
""".split())

# All-capitals words that are not names of organisations or places.
NOT_ACRONYMS = frozenset("""
TV DG PM AM CEO CFO COO CTO MP MPS OK ID GDP VAT FAQ PS RIP II III IV VI VII VIII IX XI XII DIY ETA FYI
HQ IQ PR PC AI IT SMS URL USB GMT UTC EST EDT PST PDT CET BST IST PKT PRESS NEWS LIVE BREAKING UPDATE
""".split())

# --- quotes ---------------------------------------------------------------------------------------------

SPEECH_VERBS = frozenset("""
say tell add warn stress note insist reiterate remark emphasize emphasise state claim declare ask explain
urge call describe term reaffirm echo announce confirm deny write tweet post respond reply argue
acknowledge admit assert caution charge comment complain concede conclude contend counter demand
hope indicate maintain mention observe plead pledge predict promise recall report reveal say suggest
threaten vow wonder accuse allege believe continue quip yell shout whisper testify brief speak
exclaim joke muse retort scoff snap grumble lament boast brag chant proclaim recount reflect opine assure
advise elaborate inform interject object protest query question reason reassure rebut recommend remind
repeat scream sigh speculate summarize summarise tease underline underscore vent venture demand inquire
scold lecture
""".split())
# Verbs that attribute a quoted fragment to their subject without being verbs of saying: "she branded
# the plan “reckless”", "he likened it to a “vicious snake”". Used for partial quotes only.
CHARACTERIZATION_VERBS = frozenset("""
call brand label dub term describe liken compare dismiss condemn denounce criticize criticise praise laud
hail blast slam attack exhort cite rate admire refer characterize characterise decry mock ridicule deride
tout applaud welcome reject lambaste castigate chide rebuke blame credit challenge dispute defend invoke
use coin endorse champion sing tweet post write portray paint cast frame
""".split())
SPEECH_NOUNS = frozenset("""
warning statement remarks remark comments comment words promise threat call pledge vow claim
assurance message appeal plea announcement speech interview post tweet letter
""".split())
ANONYMOUS_HEADS = frozenset("""
source sources official officials spokesman spokeswoman spokesperson diplomat diplomats analyst analysts
witness witnesses resident residents person people insider insiders aide aides member members observer
observers expert experts commander officer officers authorities authority ministry government
""".split())
# Other nouns for people and groups who can be the source of a quote ("protesters chanted", "critics said").
SPEAKER_NOUNS = frozenset("""
protester protesters demonstrator demonstrators critic critics supporter supporters voter voters lawmaker lawmakers
legislator legislators activist activists leader leaders campaign crowd crowds group groups fan fans student
students parent parents worker workers employee employees victim victims survivor survivors family families
neighbor neighbors neighbour neighbours friend friends doctor doctors lawyer lawyers attorney attorneys
prosecutor prosecutors investigator investigators police officer officers candidate candidates party parties
union unions company companies agency agencies administration department committee panel court judge
minister ministers president spokesperson man woman men women official
""".split())
