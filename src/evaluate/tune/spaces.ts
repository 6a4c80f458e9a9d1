/**
 * Default search spaces: for each detector, the values worth trying per option. Detectors not
 * listed (or with no hyperparameters, like ECOD) are evaluated with their defaults only.
 */
export type SearchSpace = Record<string, readonly unknown[]>;

export const DEFAULT_SPACES: Record<string, SearchSpace> = {
  zscore: { combine: ['max', 'mean', 'l2'] },
  'robust-z': { combine: ['max', 'mean', 'l2'] },
  hbos: { nBins: [5, 10, 20, 50] },
  kmeans: { k: [2, 3, 5, 8, 12] },
  mahalanobis: { ridge: [1e-6, 1e-3, 1e-1] },
  iforest: { nEstimators: [50, 100, 200], maxSamples: [64, 128, 256, 512] },
  knn: { nNeighbors: [1, 3, 5, 10, 20], method: ['largest', 'mean'] },
  lof: { nNeighbors: [5, 10, 20, 35, 50] },
  pca: { variance: [0.5, 0.7, 0.8, 0.9, 0.95] },
  autoencoder: { hiddenSizes: [[64, 32], [32, 16], [16, 8]], dropout: [0, 0.2], learningRate: [1e-3, 3e-3] },
  vae: { latent: [2, 4, 8], beta: [0.5, 1], learningRate: [1e-3, 3e-3] },
  'deep-svdd': { hiddenSizes: [[64, 32], [32, 16]], weightDecay: [1e-6, 1e-4] },
};
