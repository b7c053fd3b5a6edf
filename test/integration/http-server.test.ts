/**
 * The server `mtbnet serve` listens on (server/api/http-server.ts): requests and
 * responses are born with the app's prototypes, and Express works on them as
 * on its own, over real loopback connections.
 */
import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as httpRequest, Agent } from 'node:http';
import { createHttpServer, isClass, listen } from '../../server/api/http-server.ts';

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise<void>((r) => { server!.close(() => r()); server!.closeAllConnections(); });
  server = undefined;
});

function testApp() {
  const app = express();
  app.use(express.json());
  app.get('/hello', (req, res) => {
    res.set('X-Test', 'yes').json({ host: req.get('host') !== undefined, path: req.path, query: req.query });
  });
  app.post('/echo', (req, res) => res.status(201).json({ body: req.body as unknown }));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ error: err.message });
  });
  return app;
}

describe('createHttpServer', () => {
  it('hands Express requests and responses that already have the app prototypes', async () => {
    const app = testApp();
    server = await listen(app, 0, '127.0.0.1');
    const seen: boolean[] = [];
    // Runs before Express's own listener: what the server built, before Express touched it.
    server.prependListener('request', (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    const { port } = server.address() as AddressInfo;
    const r = await fetch(`http://127.0.0.1:${port}/hello?x=1`);
    expect(r.status).toBe(200);
    expect(seen).toEqual([true]);
  });

  it('serves Express routes, bodies, headers and errors as the default server would', async () => {
    server = createHttpServer(testApp());
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const hello = await fetch(`${base}/hello?x=1&y=two`);
    expect(hello.headers.get('x-test')).toBe('yes');
    expect(await hello.json()).toEqual({ host: true, path: '/hello', query: { x: '1', y: 'two' } });

    const echo = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) });
    expect(echo.status).toBe(201);
    expect(await echo.json()).toEqual({ body: { a: [1, 2] } });

    const boom = await fetch(`${base}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: 'boom' });

    const missing = await fetch(`${base}/nothing`);
    expect(missing.status).toBe(404);
  });

  it('keeps a connection alive across requests, each with its own request and response', async () => {
    const app = testApp();
    server = await listen(app, 0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    const get = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
          sockets.add(res.socket);
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(JSON.parse(await get(`/hello?i=${i}`)) as { query: { i: string } });
    agent.destroy();
    expect(answers.map((a) => a.query.i)).toEqual(['0', '1', '2', '3', '4']);
    expect(sockets.size).toBe(1);
  });

  it('rejects when the port is taken', async () => {
    server = await listen(testApp(), 0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    await expect(listen(testApp(), port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('tells classes from constructor functions (a class falls back to the default server)', () => {
    expect(isClass(class A {})).toBe(true);
    expect(isClass(function B() {})).toBe(false);
  });
});
