// The emails the server sent, as a person reads them in a mail reader: the server under test
// writes each one as an .eml file in server.mailDir (mail.transport = file), through its durable
// outbox, so an email arrives shortly after the page that sent it. Read here: the recipient, the
// subject (RFC 2047 encoded words), the text and HTML parts (quoted-printable or base64) and
// the names of the attached files.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const MAIL_TIMEOUT_MS = 10_000;

/** Every email in the folder, oldest first. */
export async function readMails(mailDir) {
  let files;
  try {
    files = (await readdir(mailDir)).filter((f) => f.endsWith('.eml'));
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  // Named « <milliseconds>-<counter>-<recipient>.eml »: numeric order is sending order.
  const order = (f) => f.split('-').slice(0, 2).map(Number);
  files.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1];
  });
  return Promise.all(files.map(async (f) => parseMail(await readFile(path.join(mailDir, f), 'latin1'), f)));
}

/**
 * Waits for the `count`-th email to `to` (whose subject contains `subject`, if given) and
 * returns it: the outbox sends it in the background, a moment after the page answered.
 */
export async function waitForMail(mailDir, { to, subject, count = 1 }) {
  const matches = (m) => m.to.toLowerCase().includes(to.toLowerCase()) &&
    (!subject || m.subject.includes(subject));
  const deadline = Date.now() + MAIL_TIMEOUT_MS;
  for (;;) {
    const found = (await readMails(mailDir)).filter(matches);
    if (found.length >= count) return found[count - 1];
    if (Date.now() > deadline) {
      const all = (await readMails(mailDir)).map((m) => `${m.to}: ${m.subject}`);
      assert.fail(`no email n° ${count} to ${to}${subject ? ` « ${subject} »` : ''} after ` +
        `${MAIL_TIMEOUT_MS} ms; in ${mailDir}: ${all.join('; ') || 'none'}`);
    }
    await sleep(100); // the outbox's delivery, not a timing of the page under test
  }
}

/** The link of the email's text that starts with `prefix` (an absolute address). */
export function linkIn(mail, prefix) {
  const links = mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
  const link = links.find((l) => l.startsWith(prefix));
  assert.ok(link, `no link ${prefix}… in the email « ${mail.subject} »:\n${mail.text}`);
  // The HTML version gives the same link (as a person clicking it there would follow).
  assert.ok(mail.html.includes(link.replace(/&/g, '&amp;')) || mail.html.includes(link),
    `the HTML version of « ${mail.subject} » has another link`);
  return link;
}

// ------------------------------------------------------------------ MIME, enough for ours

function parseMail(raw, file) {
  const { headers, body } = splitEntity(raw);
  const mail = { file, to: decodeWords(headers.to ?? ''), subject: decodeWords(headers.subject ?? ''),
    text: '', html: '', attachments: [] };
  walk(headers, body, mail);
  return mail;
}

/** Headers (lower-case names, folded lines joined) and body of a MIME entity. */
function splitEntity(raw) {
  const at = raw.search(/\r?\n\r?\n/);
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '');
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function parameter(header, name) {
  const m = new RegExp(`${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

function walk(headers, body, mail) {
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = parameter(headers['content-type'], 'boundary');
    assert.ok(boundary, `${mail.file}: multipart without a boundary`);
    const parts = body.split(new RegExp(`\\r?\\n?--${escapeRegExp(boundary)}(?:--)?[ \\t]*\\r?\\n?`));
    // Before the first boundary: the preamble; after the last one: the epilogue.
    for (const part of parts.slice(1, -1)) {
      const entity = splitEntity(part);
      walk(entity.headers, entity.body, mail);
    }
    return;
  }
  const bytes = decodeBody(body, headers['content-transfer-encoding']);
  const disposition = headers['content-disposition'] ?? '';
  const fileName = parameter(disposition, 'filename') ?? parameter(headers['content-type'], 'name');
  if (/attachment/i.test(disposition) || (fileName && !type.startsWith('text/'))) {
    mail.attachments.push({ name: decodeWords(fileName ?? ''), type: type.split(';')[0], size: bytes.length });
    return;
  }
  const text = bytes.toString('utf8');
  if (type.startsWith('text/html')) mail.html += text;
  else if (type.startsWith('text/plain')) mail.text += text;
}

function decodeBody(body, encoding = '7bit') {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    default:
      return Buffer.from(body, 'latin1');
  }
}

/** Quoted-printable (RFC 2045 §6.7): soft line breaks « =\r\n », bytes « =XX ». */
function decodeQuotedPrintable(text) {
  const joined = text.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= or =?UTF-8?B?…?=), in headers. */
function decodeWords(value) {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2') // spaces between two encoded words are not text
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset, kind, data) => {
      const bytes = kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : decodeQuotedPrintable(data.replace(/_/g, ' '));
      return new TextDecoder(charset.toLowerCase()).decode(bytes);
    });
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
