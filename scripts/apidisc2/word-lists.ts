// apidisc2's own word lists, written for it (a test checks that none of them shares an entry
// with the first generator's lists). Plain ASCII so that values need no percent-encoding.

const words = (s: string): readonly string[] => Object.freeze(s.trim().split(/\s+/));

export const GIVEN_NAMES = words(`
  Marisol Tobiah Ingrid Oluwaseun Keanu Priya Radek Svetlana Yusuf Anouk Mateo Liesel Dragan
  Aiyana Bartholomew Chidi Esmeralda Fintan Greta Hamish Imogen Jovan Kalani Leopold Maeve
  Nikolai Odalys Pascale Quentin Rasmus Solveig Thaddeus Ulrike Valentin Wilhelmina Xiomara
  Yannick Zofia Anselm Beatriz Cosimo Delphine Emeka Faustina Gideon Henrike Ignatius Jolene
  Kasimir Ludmila Marek Noemi Osvaldo Perpetua Reinhold Sunniva Tancredi Ursula Vasco Wendeline
  Yolanda Zoltan Amara Bastien Cyrille Dagny Elio Fenna Gaspard Hedda Isidore Kirra Lorcan
  Mireille Nnamdi Orla Piet Rosalind Sigrun Tove Ugo Vesna Wiebke Ayodele Benedikt Clodagh
`);

export const SURNAMES = words(`
  Quint Okonkwo Lindqvist Haraldsen Bellweather Castellano Dvorak Eberhardt Fitzgerald
  Gunawardena Hoekstra Ibarra Jankowski Kowalczyk Lafleur Marchetti Nakagawa Oyelaran Pemberton
  Quarshie Rosenthal Szabo Thorvaldsen Vasquez Whitlock Yamamoto Zielinski Abernathy Brannigan
  Czerny Delacroix Esposito Fairbanks Halloran Iwasaki Jaramillo Kettleborough Lund Moreau
  Nieminen Ostrowski Pryce Rahimi Sandoval Tremblay Underhill Voskuijlen Wainwright Yilmaz
  Zamora Achterberg Blomqvist Carvalho Dunmore Eriksen Ferreira Goldberg Holmgren Ivanova Jessup
  Kariuki Lombardi Mbeki Novak Ortega Papadopoulos Quirke Ramanathan Takahashi Valdivia Wojcik
  Adeyemi Bergstrom Cavanagh
`);

/** adjectives for word slugs (`quiet-dapper-lantern`) */
export const ADJECTIVES = words(`
  quiet brisk gentle hollow lucky mellow nimble patient rustic silent sturdy tidy vivid wistful
  bold calm dapper eager fuzzy glossy humble jolly keen lofty merry noble plucky shiny snug spry
  stout sunny tame tender upbeat velvet warm witty zesty crisp dusky golden hardy icy jagged
  lanky misty nifty plush quirky rosy salty tawny woolly brave cozy dainty fancy giddy
`);

/** nouns for word slugs */
export const NOUNS = words(`
  lantern kettle harp compass anvil teapot pebble thimble ladder saddle quill goblet mitten
  spindle trowel lattice banner beacon candle chisel domino easel fiddle gazebo hammock igloo
  jigsaw kayak ledger marble napkin oyster paddle quiver rudder satchel tambourine umbrella
  violin walrus zither badger cricket donkey ferret gecko heron ibex jackal koala lemur marmot
  newt ocelot puffin quokka salamander tapir urchin vole weasel yak biscuit muffin pretzel
`);

/** brand-like stems for product names (`NimbusBlender`, `veloce-walnut-stool`) */
export const PRODUCT_STEMS = words(`
  Nimbus Vanta Kino Lumo Zeno Pixo Hexa Oro Veloce Strato Brava Kuro Sola Fiora Mondo Aero
  Quanta Ventra Polar Miro Calyx Dorado Fjord Kestrel Ondine
`);

export const PRODUCT_ITEMS = words(`
  backpack blender headset skillet toaster thermos jacket parka sandal loafer lamp ottoman sofa
  stool drill sander speaker monitor keyboard tripod scooter helmet glove tent duvet pillow rug
  vase mug tumbler grinder juicer kettlebell dumbbell wallet beanie poncho hoodie cardigan
`);

export const MATERIALS = words(`
  cotton walnut ceramic bamboo linen steel copper leather wool canvas granite teak merino
  suede nylon cork rattan
`);

/** SKU colour and size suffixes */
export const SKU_COLOURS = words('BLK WHT RED GRN NVY GRY BRN OLV TAN PNK YLW ORG PRP TEA SND');
export const SKU_SIZES = words('XS S M L XL XXL 2XL 3XL OS');

/** ISO 3166 alpha-3 codes */
export const COUNTRY_ALPHA3 = words(`
  NLD DEU FRA ESP ITA PRT AUT POL SWE NOR DNK FIN IRL GRC CZE HUN ROU BGR HRV SVN SVK EST
  LVA LTU ISL MEX ARG CHL COL PER ZAF NGA KEN EGY MAR TUR ISR ARE SAU IND PAK BGD THA VNM IDN
  MYS PHL KOR TWN NZL
`);

/** IATA airport codes */
export const AIRPORTS = words(`
  AMS LHR CDG SFO JFK NRT HND SIN DXB YYZ GRU EZE SYD MEL AKL ZRH VIE CPH ARN OSL HEL DUB LIS
  MAD BCN FCO MXP ATH IST TLV BOM DEL BKK KUL CGK MNL ICN TPE PVG HKG SEA ORD ATL DFW DEN LAX
  BOS MIA
`);

/** E.164 country calling codes */
export const CALLING_CODES = words('1 31 32 33 34 39 41 43 44 45 46 47 48 49 52 55 61 64 81 82 91 234 254 353 358 420');

/** mail domains (reserved TLDs only) */
export const MAIL_DOMAINS = words('postbox.example quillmail.test ledgerly.example inbox.invalid northwind.test');

/** generic prefixes for prefixed ids when the parameter's name gives none */
export const ID_PREFIXES = words('rec obj ent itm res grp evt msg doc ses wrk blk tsk acq');

/**
 * Literal views of a collection (`/orders/upcoming` beside `/orders/{id}`): apidisc2 adds a few
 * where a spec has only the parameter, and requests them hundreds of times.
 */
export const COLLECTION_VIEWS = words(`
  featured recent upcoming archived pending mine stats summary overview export lookup
  suggestions nearby bulk defaults batch history drafts shared favourites bestsellers spotlight
  expiring unread
`);

/** a small closed vocabulary for `type`, `status`, `format`-like parameters without an enum */
export const VOCAB_WORDS = words(`
  daily weekly monthly hourly open closed draft live inbound outbound primary secondary internal
  legacy standard premium basic archived-only full partial csv xml yaml
`);

/** words for a gateway prefix in front of a spec's paths (`/edge/v2/...`) */
export const GATEWAY_WORDS = words('edge gw ingress public backend svc platform core external');

/** query parameter names when the spec declares none */
export const QUERY_NAMES = words('expand cursor per_page include order_by since view embed');

/** paths that scanners try on any host; none is a path of an API template */
export const SCANNER_PROBES = words(`
  /.git/HEAD /.svn/entries /HNAP1/ /boaform/admin/formLogin /remote/fgt_lang /geoserver/web/
  /jenkins/login /telescope/requests /_ignition/execute-solution /cgi-bin/luci /manager/html
  /stalker_portal/c/ /Autodiscover/Autodiscover.xml /.env.production /.npmrc /web.config
  /wp-content/plugins/hello.php /index.php/api/xdebug /_profiler/phpinfo /api/jsonws/invoke
  /debug/pprof/ /.dockerenv /druid/index.html /nacos/v1/auth/users /hudson /struts2-showcase/
  /metrics/prometheus /.vscode/sftp.json /owncloud/status.php /magento_version
`);
