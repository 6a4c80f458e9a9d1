import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard: built into dist/web, which `vigil serve` serves at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, target: 'es2022', reportCompressedSize: true },
});
