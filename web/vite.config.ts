import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  server: { port: 3000, strictPort: true, host: true },
  preview: { port: 3000, strictPort: true },
});
