/* stub */ typedef int stub_web;
