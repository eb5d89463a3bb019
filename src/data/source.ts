// A trial's data source (the draw stage's one question about its inputs): the Gaussian mixture of
// docs/model.md §1, or Fashion-MNIST images and their twin (docs/model.md §10). Either way it
// gives the structure the surrogates see and one row sampler per set, each on its own stream.
import { type ExperimentConfig, isImageData, sizesOf } from './config.ts';
import { type DataSource, imageSource } from './images.ts';
import { buildMixture } from './mixture.ts';
import { labelSpecOf, SetSampler } from './sampler.ts';
import type { Stream } from '../random/stream.ts';

export type { DataSource } from './images.ts';

export function dataSourceOf(config: ExperimentConfig, structureStream: Stream): DataSource {
  const labels = labelSpecOf(config);
  if (isImageData(config)) return imageSource(config, sizesOf(config), labels, structureStream);
  const structure = buildMixture(config, structureStream);
  return { structure, sampler: (_set, total, stream) => new SetSampler(structure, labels, total, stream) };
}
