import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The lab (e2e) files boot user-mode Linux kernels; two cores, so at most two test files at once.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
