import { describe, expect, it } from 'vitest';
import { eventStreamParser } from './event-stream.js';

describe('reading a GraphQL-over-SSE stream', () => {
  it('answers whole events however the chunks are cut, skipping pings', () => {
    const feed = eventStreamParser();
    expect(feed(': ping\n\nevent: ne')).toEqual([]);
    expect(feed('xt\ndata: {"data":{"a":1}}\n')).toEqual([]);
    expect(feed('\nevent: next\r\ndata: {"data":\r\ndata: 2}\r\n\r\nevent: complete\ndata:\n\n')).toEqual([
      { event: 'next', data: '{"data":{"a":1}}' },
      { event: 'next', data: '{"data":\n2}' },
      { event: 'complete', data: '' },
    ]);
  });

  it('calls an unnamed event a message', () => {
    expect(eventStreamParser()('data: hello\n\n')).toEqual([{ event: 'message', data: 'hello' }]);
  });
});
