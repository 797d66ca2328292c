/** The colour families a Badge can take (see --tone-* in theme.css). */
export type Tone = 'neutral' | 'blue' | 'amber' | 'green' | 'red' | 'purple';
