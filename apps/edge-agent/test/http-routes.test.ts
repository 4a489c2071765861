import { describe, expect, it } from 'vitest';
import { type HttpRoute, matchRoute } from '../src/ops/http-routes.js';

const route = (pattern: string): HttpRoute => ({ pattern, handle: () => ({ status: 200, json: pattern }) });
const routes = [
  route('/api/events'),
  route('/api/events/:id/snapshot.jpg'),
  route('/api/events/:id'),
  route('/api/:camera/latest.jpg'),
];

describe('matchRoute: the HTTP route table', () => {
  it('takes the first pattern that matches, with its decoded parameters', () => {
    expect(matchRoute(routes, '/api/events')?.route.pattern).toBe('/api/events');
    expect(matchRoute(routes, '/api/events/1.5-ab-3/snapshot.jpg')?.params).toEqual({ id: '1.5-ab-3' });
    expect(matchRoute(routes, '/api/events/latest.jpg')?.route.pattern).toBe('/api/events/:id');
    expect(matchRoute(routes, '/api/front%20door/latest.jpg')?.params).toEqual({ camera: 'front door' });
  });

  it('matches no empty segment, no extra segment and no malformed escape', () => {
    expect(matchRoute(routes, '/api//latest.jpg')).toBeUndefined();
    expect(matchRoute(routes, '/api/events/1/snapshot.jpg/x')).toBeUndefined();
    expect(matchRoute(routes, '/api/%E0%A4%A/latest.jpg')).toBeUndefined();
    expect(matchRoute(routes, '/')).toBeUndefined();
  });
});
