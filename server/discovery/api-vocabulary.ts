// A small built-in vocabulary of the words API authors put in paths: resource nouns, actions,
// qualifiers and common enumerations. A segment made only of such words (`search`,
// `ap_channels`, `getIamPolicy`) is one a spec author wrote; a word outside it (`tango`,
// `ridor`, `blue_fox`) may as well be a value a client filled in, so less evidence makes it
// one. The list is written from general REST/RPC practice, not from any benchmark.

const WORDS = `
a about abuse accept access account ach ack acl action activate active activity ad add address admin advanced
affiliate agent aggregate aggregated alarm alert alias all allocation allow alternate analysis analytic analytics
announcement answer any api app application apply approval approve archive archived area arg argument article
artifact asset assign assignment async attach attachment attempt attribute audience audit auth author
authorization authorize authorized auto autocomplete availability available avatar away
back backend backup badge balance ban bank banner base basic batch beta bid bill billing bin binary bind blob
block blocked blog board body book bookmark boot bot bounce box branch brand breakdown broadcast browse bucket
budget build builder bulk bundle business button by
cache calculate calendar call callback campaign cancel candidate capability capacity capture card cart case
catalog category cert certificate chain change changelog channel charge chart chat check checkin checkout
checksum child choice city claim class classic clean clear click client clone close closed cluster code
collection color column command comment commit common community company compare compatibility complete
completed component compose compress compute condition config configuration configure confirm confirmation connect
connection connector consent console consumer contact container content context contract contributor control
conversation convert cookie copy core cost count counter country coupon course cover create created
credential credit criteria csv currency current custom customer customize
daily dashboard data database dataset date day deactivate deal debug decision decline decompress default definition
delete deleted delivery demo dependency deploy deployment deposit describe description design destination
detach detail details detect device diagnostic diff digest direct directory disable disabled discount
discover discovery disk dismiss dispatch display dispute distribution dns doc document domain done download
draft drive driver dry duplicate dynamic
edge edit editor effective element email embed emoji employee empty enable enabled end endpoint engine
enroll enrollment entitlement entity entry environment error estimate evaluate event evidence exchange
execute execution exist exists expire expired explain explore export expression extend extension external
extra
facet factor failed failure favorite feature feed feedback fetch field file filter final find fingerprint
first fix flag flow folder follow follower following font forecast fork form format forward free friend
from full function fund
gallery gateway general generate generic geo get global goal grant graph group guest guide
handler hardware hash head header health heartbeat help hide hierarchy history hit hold home hook host
hour hourly html http
icon id iam identity ignore image import inbox incident include incoming index info information init initiate
inline input insert insight inspect install instance integration intent interface internal invitation invite
invoice ip issue item iteration
job join journal json
key keyword kind
label language last latest launch layer layout lead ledger level library license like limit line link list
listing live load local locale location lock log login logout lookup
machine mail mfa main maintenance manage manager manifest md5 map mapping mark market marketplace master match
me media member membership menu merge message meta metadata method metric migrate migration mine mirror
mobile mode model moderate modify module monitor month monthly move multi mute my
name namespace native network new news next node note notification notify now
oauth object oidc otp offer offline old on online open operation optimize option order org organization origin
other outbound outgoing output overview owner
package page parameter parent partial partner password patch path pause payment payout peer pending
permission person phone photo pin ping pipeline place plan platform play player playlist plugin point
policy poll pool popular port portal position post power preference prefix premium preview previous price
pricing primary print priority private process product profile program progress project promote promotion
property protocol provider provision proxy public publish publisher pull purchase purge push
qualify quality query queue quick quota quote
random range rank rate rating raw read reader readiness ready rebuild recent recipient recommend
recommendation record recover redeem redirect refresh refund region register registration registry reject
related release reload remote remove rename render renew reorder replace replay replica reply repo report
repository request require reschedule reset resolve resource response restart restore result resume
retrieve retry return revert review revision revoke role rollback room root rotate route rule run runtime
saml sale sample sandbox save scan schedule schema scope score screen script search secret section secure
security segment select self send sequence server service session set setting settings setup share
shared shipment shipping show sign signature signup similar sms sso site size skip snapshot social source space
spec split sql stage standard star start stat state statement static statistic statistics stats status
step stock stop storage store stream string submission submit subscribe subscriber subscription suggest
suggestion summary support suspend sweep switch symbol sync system
table tag target task tax team template tenant term test text theme thread threshold thumbnail ticket tier
time timeline timezone title toggle token tool top topic total track transaction transcode transfer
transform translate translation transport trash tree trend trending trial trigger trust type
unarchive unassign unban unblock uncompress undo unfollow uninstall unlink unlock unmute unpublish unread
unsubscribe unsuspend up update upgrade upload url usage use user utility
validate validation value variable variant vault vendor verification verify version video view
violation visibility visit vote
wait wallet warning watch webhook week weekly widget wiki window withdraw word work worker workflow
workspace write
after and answer at before between for has in into is near nearest of off ongoing or past power record running scheduled since to today tomorrow upcoming with within yesterday
xml year yearly zone
`;

const VOCABULARY = new Set(WORDS.split(/\s+/).filter((w) => w.length > 0));

/** The word, and what it is without a plural ending. */
function known(piece: string): boolean {
  if (VOCABULARY.has(piece)) return true;
  if (piece.length > 3 && piece.endsWith('s') && VOCABULARY.has(piece.slice(0, -1))) return true;
  if (piece.length > 4 && piece.endsWith('es') && VOCABULARY.has(piece.slice(0, -2))) return true;
  if (piece.length > 4 && piece.endsWith('ies') && VOCABULARY.has(piece.slice(0, -3) + 'y')) return true;
  // verbs in their other forms: `archived`, `deleting`
  if (piece.length > 4 && piece.endsWith('ed') && (VOCABULARY.has(piece.slice(0, -2)) || VOCABULARY.has(piece.slice(0, -1)))) return true;
  if (piece.length > 5 && piece.endsWith('ing') && (VOCABULARY.has(piece.slice(0, -3)) || VOCABULARY.has(piece.slice(0, -3) + 'e'))) return true;
  return false;
}

// Clustering asks about the same keys at every pass: remember the answers (bounded).
const answers = new Map<string, boolean>();

/** Whether every word of a segment (split at case changes, `_`, `-`, `.`) is API vocabulary. */
export function isVocabulary(segment: string): boolean {
  let a = answers.get(segment);
  if (a === undefined) {
    if (answers.size >= 100_000) answers.clear();
    a = vocabularyOnly(segment);
    answers.set(segment, a);
  }
  return a;
}

function vocabularyOnly(segment: string): boolean {
  const { words, known } = vocabularyPieces(segment);
  return words > 0 && known === words;
}

/** The word pieces of a segment (split at case changes, `_`, `-`, `.`) and how many are API vocabulary. */
function vocabularyPieces(segment: string): { words: number; known: number } {
  const pieces = segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-.]+/);
  let words = 0;
  let n = 0;
  for (const p of pieces) {
    if (p.length === 0) continue;
    if (/^v?\d+$/.test(p)) continue; // numbers and `v2` say nothing either way
    words++;
    if (known(p)) n++;
  }
  return { words, known: n };
}

/**
 * Whether at least half of a segment's words are API vocabulary (`listUsable`,
 * `withoutCollection`): written by a spec author more likely than filled in by a client.
 */
export function partlyVocabulary(segment: string): boolean {
  const { words, known } = vocabularyPieces(segment);
  return words > 0 && known * 2 >= words;
}
