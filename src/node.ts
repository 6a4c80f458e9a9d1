/** Node-only helpers: model files and data files on disk (`import { loadModel } from 'vigil/node'`). */
export { saveModel, loadModel } from './persist/file.js';
