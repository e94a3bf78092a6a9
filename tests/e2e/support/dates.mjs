// Dates as the platform writes them, computed from today in Paris (the demo places' zone).
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
  'septembre', 'octobre', 'novembre', 'décembre'];
const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

const parts = (iso) => iso.split('-').map(Number);
const utc = (iso) => new Date(Date.UTC(...parts(iso).map((v, i) => (i === 1 ? v - 1 : v))));

/** Today in Paris, aaaa-mm-jj. */
export function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
}

export function addDays(iso, days) {
  const d = utc(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayIndex(iso) {
  return (utc(iso).getUTCDay() + 6) % 7;
}

export function mondayOf(iso) {
  return addDays(iso, -weekdayIndex(iso));
}

/** « Chaque Samedi » is written with the weekday's capital. */
export function weekdayName(iso) {
  const name = WEEKDAYS[weekdayIndex(iso)];
  return name[0].toUpperCase() + name.slice(1);
}

/** « samedi 14 mars 2026 », « lundi 1er juin 2026 ». */
export function longDate(iso) {
  const [y, m, d] = parts(iso);
  return `${WEEKDAYS[weekdayIndex(iso)]} ${d}${d === 1 ? 'er' : ''} ${MONTHS[m - 1]} ${y}`;
}

/** « 14/03/2026 ». */
export function shortDate(iso) {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** « 9 mars 2026 - 15 mars 2026 », the agenda's week title. */
export function weekLabel(monday) {
  const part = (iso) => {
    const [y, m, d] = parts(iso);
    return `${d} ${MONTHS[m - 1]} ${y}`;
  };
  return `${part(monday)} - ${part(addDays(monday, 6))}`;
}

/** The instant (a Date) of this day at this hour and minute in Paris. */
export function parisInstant(iso, hour, minute = 0) {
  const guess = Date.UTC(...parts(iso).map((v, i) => (i === 1 ? v - 1 : v)), hour, minute);
  // Paris's wall clock at the guess, read as UTC, is ahead of the guess by Paris's offset.
  const wall = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(guess)).reduce((o, p) => ({ ...o, [p.type]: Number(p.value) }), {});
  const seen = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return new Date(guess - (seen - guess));
}
