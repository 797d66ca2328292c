import { describe, expect, it } from 'vitest';
import { moveStage, stageFields } from './pipeline-settings.js';

describe('pipeline settings', () => {
  it('move an open stage one place up or down, never past either end', () => {
    const ids = ['qualification', 'survey', 'design'];
    expect(moveStage(ids, 'survey', -1)).toEqual(['survey', 'qualification', 'design']);
    expect(moveStage(ids, 'survey', 1)).toEqual(['qualification', 'design', 'survey']);
    expect(moveStage(ids, 'qualification', -1)).toBeNull();
    expect(moveStage(ids, 'design', 1)).toBeNull();
    expect(moveStage(ids, 'won', 1)).toBeNull();
  });

  it('let won and lost be renamed but keep their probability', () => {
    expect(stageFields('OPEN').map((f) => f.name)).toEqual(['name', 'probability']);
    expect(stageFields('WON').map((f) => f.name)).toEqual(['name']);
  });
});
