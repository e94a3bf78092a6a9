// A stand-in for the search map's tile server (map.tiles_url; the IGN Géoplateforme in
// production): a tiny HTTP server on a free loopback port that answers every tile with the same
// small PNG and counts the requests, started for one journey run (`tileServer: true`).
import { createServer } from 'node:http';

// One grey pixel; Leaflet draws each tile 256 pixels wide whatever its size.
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==',
  'base64');
const TILE_PATH = /^\/\d+\/\d+\/\d+\.png$/;

/**
 * Starts the tile server; its `config` goes to startServer().
 * @returns {Promise<{config: Record<string, string>, requests: () => number,
 *   stop: () => Promise<void>}>}
 */
export async function startTileServer() {
  let requests = 0;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || !TILE_PATH.test(req.url)) {
      res.writeHead(404).end();
      return;
    }
    requests++;
    res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' }).end(TILE);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    config: {
      'map.tiles_url': `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
      'map.attribution': 'Tuiles de test',
    },
    requests: () => requests,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
