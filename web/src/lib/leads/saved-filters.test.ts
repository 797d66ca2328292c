import { describe, expect, it } from 'vitest';
import { loadSavedFilters, removeFilter, saveFilter, type KeyValueStore } from './saved-filters.js';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('saved lead filters', () => {
  it('keeps filters per workspace, newest first, replacing one of the same name', () => {
    const store = memoryStore();
    saveFilter(store, 'acme', { name: 'Hot', q: '', statuses: ['QUALIFIED'] });
    saveFilter(store, 'acme', { name: 'Austin', q: 'austin', statuses: [] });
    const list = saveFilter(store, 'acme', { name: 'Hot', q: '', statuses: ['NEW', 'QUALIFIED'] });
    expect(list.map((f) => f.name)).toEqual(['Hot', 'Austin']);
    expect(loadSavedFilters(store, 'acme')[0]?.statuses).toEqual(['NEW', 'QUALIFIED']);
    expect(loadSavedFilters(store, 'other')).toEqual([]);
  });

  it('removes a filter by name and ignores unnamed ones', () => {
    const store = memoryStore();
    saveFilter(store, 'acme', { name: '  ', q: 'x', statuses: [] });
    expect(loadSavedFilters(store, 'acme')).toEqual([]);
    saveFilter(store, 'acme', { name: 'A', q: 'a', statuses: [] });
    expect(removeFilter(store, 'acme', 'A')).toEqual([]);
  });

  it('survives garbage in storage', () => {
    const store = memoryStore();
    store.setItem('solar.leads.saved-filters:acme', '{not json');
    expect(loadSavedFilters(store, 'acme')).toEqual([]);
    store.setItem('solar.leads.saved-filters:acme', JSON.stringify([{ name: 'x', q: 1 }]));
    expect(loadSavedFilters(store, 'acme')).toEqual([]);
  });
});
