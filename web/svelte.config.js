import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // Hashed, immutable assets under /_app/immutable; the server bundle needs only Node at run time.
    adapter: adapter({ precompress: true }),
    // Our own origin check runs in hooks.server.ts: SvelteKit's compares full origins, and adapter-node assumes
    // https unless told otherwise, which refuses every form on the plain-http local stack (many tenant hosts,
    // so ORIGIN cannot be set).
    csrf: { trustedOrigins: ['*'] },
    // The browser talks to this origin only: /graphql is proxied by hooks.server.ts.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte transitions write inline style attributes.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
