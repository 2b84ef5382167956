{
  "targets": [
    {
      "target_name": "curvelab_native",
      "sources": [
        "src/addon.cc",
        "src/allocator.cc",
        "src/blas.cc",
        "src/conv2d.cc",
        "src/elementwise.cc",
        "src/gather.cc",
        "src/gemm.cc",
        "src/pool.cc",
        "src/reduce.cc",
        "src/thread_pool.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "conditions": [
        ["OS=='mac'", {
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "GCC_OPTIMIZATION_LEVEL": "3"
          }
        }],
        ["OS!='mac' and OS!='win'", {
          # -O3 only, no -march=native: the build machine's CPU may not be the one that runs it, and OpenBLAS
          # picks its kernels for the running CPU by itself. pkg-config finds OpenBLAS where distributions
          # keep it in their own folders (Debian: openblas-pthread, Fedora: /usr/include/openblas).
          "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "<!@(pkg-config --cflags openblas 2>/dev/null || true)"],
          "libraries": ["<!@(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)", "-lpthread"]
        }]
      ]
    }
  ]
}
