// A Pro Santé Connect stand-in for the tests and the demo: the real `oidc-provider` (npm),
// configured with PSC's claims (SubjectNameID, SubjectRefPro), acr = eidas1, PKCE S256, the ID
// token signed RS256 and userinfo as a JWT signed ES256.
//
//   node tests/oidc/provider.mjs PORT            (issuer http://127.0.0.1:PORT)
//
// Client: id "sas-local", secret "secret-local" (client_secret_post); any redirect URI
// http://127.0.0.1:*/psc/retour or http://localhost:*/psc/retour is accepted.
//
// Login (no devInteractions): GET /interaction/:uid shows a form « Votre identifiant RPPS »;
// POST /interaction/:uid with rpps=<one of the professionals below> logs that professional in
// and grants openid scope_all at once. The integration tests drive this form over HTTP.
//
// Optional mTLS (RFC 8705), for the tests of psc.client_certificate: with
//   PSC_TEST_MTLS_PORT=P PSC_TEST_MTLS_DIR=D   (D holds ca.pem, server.pem, server-key.pem)
// the provider also listens on https://127.0.0.1:P, where TLS requires a client certificate
// issued by D/ca.pem (requestCert, rejectUnauthorized), and its discovery document sends
// token and userinfo there (mtls_endpoint_aliases). The plain-HTTP token endpoint then refuses
// every request (invalid_client): a code is only exchanged with the certificate. Everything
// else (the issuer, the login pages, the browser's side) stays on plain HTTP.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] || 4000);
const issuer = `http://127.0.0.1:${port}`;
const mtlsPort = Number(process.env.PSC_TEST_MTLS_PORT || 0);
const mtlsDir = process.env.PSC_TEST_MTLS_DIR || '';
const mtls = mtlsPort > 0 && mtlsDir !== '';

function activity(name, street, postcode, city, siret, phone) {
  return {
    codeModeExercice: 'L', codeSecteurDactivite: 'SA07', numeroSiretSite: siret,
    numeroFinessSite: '', identifiantTechniqueDeLaStructure: `R1${siret}`,
    raisonSocialeSite: name, enseigneCommercialeSite: '', numeroVoie: '', libelleVoie: street,
    codePostal: postcode, libelleCommune: city,
    bureauCedex: city ? `${postcode} ${city.toUpperCase()}` : '',
    telephone: phone,
  };
}

// The test professionals (RPPS → identity). 899700000001 is linked to an account by the tests,
// 899700000002 types an existing account's email, 899700000003 has practice places (his
// cabinet, and an MSP whose town PSC does not give), 899700000004 has none.
export const professionals = {
  '899700000001': { given_name: 'Marie', family_name: 'LIEN', activities: [] },
  '899700000002': { given_name: 'Paul', family_name: 'EXISTANT', activities: [] },
  '899700000003': {
    given_name: 'Claire', family_name: 'LIEUX',
    activities: [
      activity('CABINET DU DR LIEUX', 'RUE DE LA PAIX', '75002', 'Paris', '12345678900011', '0142000001'),
      // No town given: the platform finds Les Lilas from the postal code.
      activity('MAISON DE SANTE DES LILAS', 'AVENUE PASTEUR', '93260', '', '12345678900029', '0143000002'),
    ],
  },
  '899700000004': { given_name: 'Jean', family_name: 'SANSLIEU', activities: [] },
};

function claimsOf(rpps) {
  const p = professionals[rpps];
  return {
    sub: `f:psc-test:${rpps}`,
    SubjectNameID: rpps,
    preferred_username: rpps,
    given_name: p.given_name,
    family_name: p.family_name,
    SubjectOrganization: '',
    SubjectRefPro: {
      codeCivilite: 'DR',
      exercices: [{
        codeProfession: '10', codeCategorieProfessionnelle: 'C',
        nomDexercice: p.family_name, prenomDexercice: p.given_name,
        activities: p.activities,
      }],
    },
  };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
Object.assign(rsa, { kid: 'psc-test-rsa', alg: 'RS256', use: 'sig' });
Object.assign(ec, { kid: 'psc-test-ec', alg: 'ES256', use: 'sig' });

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'sas-local',
    client_secret: 'secret-local',
    redirect_uris: ['http://127.0.0.1/psc/retour'],
    post_logout_redirect_uris: ['http://127.0.0.1/connexion?deconnecte=1'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'ES256',
  }],
  jwks: { keys: [rsa, ec] },
  scopes: ['openid', 'scope_all'],
  claims: {
    openid: ['sub'],
    scope_all: ['SubjectNameID', 'SubjectRefPro', 'given_name', 'family_name',
      'preferred_username', 'SubjectOrganization'],
  },
  acrValues: ['eidas1'],
  pkce: { required: () => true, methods: ['S256'] },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    // The end-session page asks to confirm, as PSC's does; in French, accessible and valid
    // HTML, since the browser suite checks every page it visits.
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Déconnexion (test)</title></head>
<body><main><h1>Déconnexion de Pro Santé Connect</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter de Pro Santé Connect</button></main></body></html>`;
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) => {
    const rpps = id.split(':').pop();
    if (!professionals[rpps]) return undefined;
    return { accountId: id, claims: async () => claimsOf(rpps) };
  },
  cookies: { keys: ['psc-test-cookie-key'] },
  discovery: mtls ? {
    mtls_endpoint_aliases: {
      token_endpoint: `https://127.0.0.1:${mtlsPort}/token`,
      userinfo_endpoint: `https://127.0.0.1:${mtlsPort}/me`,
    },
  } : {},
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
});

// Any loopback port: the platform under test listens on port 0.
const loopback = /^http:\/\/(127\.0\.0\.1|localhost):\d+\//;
provider.Client.prototype.redirectUriAllowed = function allowed(uri) {
  return loopback.test(uri) && new URL(uri).pathname === '/psc/retour';
};
provider.Client.prototype.postLogoutRedirectUriAllowed = function allowed(uri) {
  return loopback.test(uri);
};

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => resolve(new URLSearchParams(data)));
  });
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// With mTLS on, the token endpoint answers only on a connection whose client certificate was
// verified against the test CA (the TLS listener refuses any other at the handshake).
provider.use(async (ctx, next) => {
  if (!mtls || ctx.path !== '/token' || (ctx.req.socket.encrypted && ctx.req.socket.authorized)) {
    return next();
  }
  ctx.status = 401;
  ctx.type = 'json';
  ctx.body = { error: 'invalid_client', error_description: 'certificat client requis (mTLS)' };
  return undefined;
});

provider.use(async (ctx, next) => {
  const m = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!m) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Pro Santé Connect (test)</title></head>
<body><h1>Connectez-vous</h1><form method="post" action="/interaction/${escape(details.uid)}">
<label for="rpps">Votre identifiant RPPS</label> <input id="rpps" name="rpps" value="${escape(details.params.login_hint || '')}">
<button type="submit">Se connecter</button></form><ul>${Object.entries(professionals)
  .map(([r, p]) => `<li>${r} : ${escape(p.given_name)} ${escape(p.family_name)}</li>`).join('')}</ul></body></html>`;
    return undefined;
  }
  if (ctx.method !== 'POST') return next();
  const form = await readBody(ctx.req);
  const rpps = form.get('rpps') || '';
  if (!professionals[rpps]) {
    ctx.status = 400;
    ctx.body = 'identifiant RPPS inconnu';
    return undefined;
  }
  const accountId = `f:psc-test:${rpps}`;
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope('openid scope_all');
  const grantId = await grant.save();
  const result = { login: { accountId, acr: 'eidas1', amr: ['pwd'] }, consent: { grantId } };
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  ctx.respond = false;
  return undefined;
});

provider.proxy = false;
http.createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc-provider (Pro Santé Connect de test) sur ${issuer}\n`);
});
if (mtls) {
  https.createServer({
    key: readFileSync(join(mtlsDir, 'server-key.pem')),
    cert: readFileSync(join(mtlsDir, 'server.pem')),
    ca: readFileSync(join(mtlsDir, 'ca.pem')),
    requestCert: true,
    rejectUnauthorized: true,
  }, provider.callback()).listen(mtlsPort, '127.0.0.1', () => {
    process.stdout.write(`mTLS (certificat client exigé) sur https://127.0.0.1:${mtlsPort}\n`);
  });
}
