{
  "targets": [
    {
      "target_name": "onestep_kernels",
      "sources": [
        "kernels.cc"
      ],
      "cflags_cc": [
        "-O3",
        "-std=gnu++17",
        "<!(node -p \"process.env.ONESTEP_NATIVE_ARCH ? '-march=' + process.env.ONESTEP_NATIVE_ARCH : '-march=native'\")",
        "-fno-math-errno",
        "-pthread"
      ],
      "ldflags": [
        "-pthread"
      ],
      "xcode_settings": {
        "OTHER_CPLUSPLUSFLAGS": [
          "-O3",
          "-std=gnu++17",
          "-fno-math-errno"
        ]
      },
      "libraries": [
        "<!(node -p \"process.platform === 'linux' ? '-lmvec' : ''\")"
      ]
    }
  ]
}