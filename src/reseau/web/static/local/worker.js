// The page's Web Worker (local/workers.js makeWorker() starts it): the long computations, away from the page so
// it keeps answering. An ES module importing only engine/ and local/ files that need no DOM (`reseau site`
// bundles it into one classic script for a page opened as a file).
//
// Messages in (event.data), each handled by JOBS[type]:
//   { type: "data", data: { train, test } }  MNIST ({ images: its bytes, labels } for each split, as local/files.js
//       mnistSplit gives them), sent once (when the Train tab opens, before « Entraîner » is pressed): the worker
//       turns them into the document's images and lists their lit pixels now, and keeps them for every training.
//   { type: "train", config: { epochs, hidden, learn_rate, seed } }
//       the document's training (local/training.js trainDocument) on those images.
//   { type: "stop" }  the training stops after its current part of 5 000 images.
// Messages out: trainDocument's ("progress", "epoch", "done", "stopped", "failed"), and
//   { type: "failed", key: "web.error.internal", params: {}, detail } for a bug (its text in `detail`).

import { documentImages, epochPart, initialWeights } from "../engine/faithful.js";
import { trainDocument } from "./training.js";
import "./study-worker.js";  // the exercise's runs: { type: "study-data" | "study-job" }, its own listener (study.js)

let images = null;  // { train, test }: { images (the document's float32 images), digits }, kept between trainings
let stopping = false;  // a stop was asked during the current training

function data({ data: { train, test } }) {
  // MNIST's bytes -> the document's images, images.astype("float32") / 255 (engine/faithful.js documentImages)
  images = {
    train: { images: documentImages(train.images), digits: train.labels },
    test: { images: documentImages(test.images), digits: test.labels },
  };
  // An epoch part of no image lists the training images' lit pixels, kept for every epoch (engine/faithful.js)
  epochPart(images.train.images, images.train.digits, initialWeights(1, 0), 0, 0, 0);
}

async function train(message) {
  stopping = false;
  if (!images) throw new Error("the images come before the first training");
  await trainDocument(message.config, images.train, images.test, {
    post: (out) => postMessage(out),
    pause: nextTask,
    stopped: () => stopping,
  });
}

function nextTask() {
  // Let the worker read the messages that came meanwhile (a stop), then go on at once. A MessageChannel's
  // message is a task of its own, as the page's messages are, without setTimeout's 4 ms once nested.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

const JOBS = {
  data,
  train,
  stop: () => { stopping = true; },
};

onmessage = async (event) => {
  const job = JOBS[event.data?.type];
  if (!job) return;
  try {
    await job(event.data);
  } catch (err) {
    postMessage({ type: "failed", key: "web.error.internal", params: {}, detail: String(err?.stack || err) });
  }
};
